"""The kinds of request the guidance never answers, named by what they ask for (bot.answering.near_miss): each kind
catches requests of its kind in fresh words, and leaves the coaching questions that share a word with it alone."""

from __future__ import annotations

import pytest

from bot.answering.near_miss import outside_guidance


@pytest.mark.parametrize(("question", "kind"), [
    ("How do we go about terminating the director's contract?", "employment and HR procedure"),
    ("Who decides the monitoring officer's pay?", "employment and HR procedure"),
    ("Is the public health grant ring-fenced?", "money, tax and procurement rules"),
    ("Can I claim travel costs for the regional board?", "money, tax and procurement rules"),
    ("Does the mayor have a power of veto over the budget?", "law and regulation"),
    ("Are the Greens likely to win the county next year?", "today's facts and forecasts"),
    ("What's the latest with the devolution deal?", "today's facts and forecasts"),
    ("Which councils top the league tables for recycling?", "today's facts and forecasts"),
    ("What are the crime figures for our district?", "today's facts and forecasts"),
    ("How can we book on the regional leadership course?", "courses, events and bookings"),
    ("What's the formal process for removing a co-opted member?", "formal procedure"),
    ("Write me a short speech for the partnership's tenth anniversary.", "templates and tools"),
    ("Is there an app for managing board papers?", "templates and tools"),
])
def test_a_request_of_a_kind_the_guidance_never_gives_is_named(question: str, kind: str) -> None:
    assert outside_guidance(question) == kind


@pytest.mark.parametrize("question", [
    "The council has no legal power over the police, so how should the leader act?",
    "Is there a statutory duty to collaborate with health?",
    "How do I come up with a direction that partners will actually sign up to?",
    "If we contract out a service, does the council's accountability for it go across to the provider?",
    "Is it worth spending time getting to know the police before the big stuff, or is that a luxury right now?",
    "How do I write a shared vision with partners?",
    "How do I make sure partners pay attention to the voluntary sector?",
])
def test_a_coaching_question_sharing_a_word_with_a_kind_is_not_taken_for_it(question: str) -> None:
    assert outside_guidance(question) is None


def test_every_kind_is_declined_with_who_can_answer_it_and_what_the_coach_can_help_with() -> None:
    from bot.answering.near_miss import _KINDS, near_miss_decline

    for kind in _KINDS:
        text = near_miss_decline(kind)
        assert kind in text and "please check with " in text and "I can help with" in text
    assert "monitoring officer" not in near_miss_decline("today's facts and forecasts")


@pytest.mark.parametrize(("question", "kind"), [
    ("Can scrutiny call in the board's decision?", "law and regulation"),
    ("Does call-in apply to decisions of the joint committee?", "law and regulation"),
    ("What's the judgment call in the 2008 politics of partnership piece?", None),  # a call, not a call-in
    ("Is it a tough call in a two-tier area?", None),
])
def test_a_call_in_is_a_decision_called_in_for_scrutiny_not_any_call_followed_by_in(question: str,
                                                                                     kind: str | None) -> None:
    assert outside_guidance(question) == kind
