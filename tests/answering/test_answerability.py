"""A question that asks for a kind of fact (a count, what tells two bodies apart, a numbered list) is answered only
when the retrieved passages hold one of that kind; a question after a fact must read more clearly in scope than a
question after advice. Coaching questions are never judged by the kind of fact they ask for."""

from __future__ import annotations

import pytest

from bot.answering.answerability import (
    DIFFERENCE,
    FIGURE,
    NUMBERED_LIST,
    asks_for_fact,
    missing_answer,
    missing_answer_decline,
)
from bot.answering.coverage import DEFAULT_RULE, CoverageRule
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import terms

CHAIRS = ("Formally, the primary leadership of the LSP lies with the Chair. Research shows that 47 per cent of "
          "LSPs have chairs from other sectors, drawing people from the voluntary or private sectors.")
BOARD = ("The partnership board brings together elected members and senior officers. Members need to agree "
         "a shared vision before the board can lead.")
FIELDS = "Leadership in partnerships is exercised in several fields at once, each with its own demands."


def hit(text: str, title: str = "Guidance", heading: str = "") -> Hit:
    return Hit(chunk_id=text[:10], text=text, source="doc", title=title, citation="Doc ¶1", heading=heading,
               ref="¶1", score=1.0, similarity=0.7)


VOCABULARY = terms(" ".join([CHAIRS, BOARD, FIELDS, "council outside someone health wellbeing combined authority "
                             "county partnership fields four"]))


@pytest.mark.parametrize("question", [
    "Roughly how many LSPs have a chair from outside the council?",
    "What percentage of LSPs are chaired by someone from other sectors?",
])
def test_a_count_is_answered_by_a_passage_stating_a_quantity_of_what_is_counted(question: str) -> None:
    assert missing_answer(question, [hit(BOARD), hit(CHAIRS)], VOCABULARY) is None


def test_a_count_of_something_the_guidance_never_mentions_is_not_answered_by_a_nearby_figure() -> None:
    # "47 per cent of LSPs have chairs from other sectors" counts chairs, but says nothing of their gender.
    assert missing_answer("What percentage of LSP chairs are women?", [hit(CHAIRS)], VOCABULARY) == FIGURE


def test_a_count_is_not_answered_by_a_figure_about_something_else() -> None:
    assert missing_answer("How many members should a health and wellbeing board have?",
                          [hit(CHAIRS), hit(BOARD)], VOCABULARY) == FIGURE


def test_the_difference_between_two_bodies_needs_passages_naming_both() -> None:
    question = "What's the difference between a combined authority and a combined county authority?"
    assert missing_answer(question, [hit(BOARD), hit(CHAIRS)], VOCABULARY) == DIFFERENCE


def test_a_difference_between_two_ways_of_leading_is_a_coaching_question() -> None:
    question = "What's the difference between chairing the partnership board and leading inside my own council?"
    assert missing_answer(question, [hit(BOARD)], VOCABULARY) is None


def test_a_numbered_list_is_answered_when_the_guidance_names_it_even_only_in_a_title() -> None:
    fields = hit(FIELDS, title="The four fields of partnership leadership")
    assert missing_answer("What are the four fields of partnership leadership?", [fields], VOCABULARY) is None
    assert missing_answer("List the seven principles of public life please", [fields], VOCABULARY) == NUMBERED_LIST


@pytest.mark.parametrize("question", [
    "How do I build trust with the NHS?",
    "How much time should I spend on relationships?",
    "Should the council always chair the partnership?",
])
def test_a_coaching_question_asks_for_no_particular_kind_of_fact(question: str) -> None:
    assert missing_answer(question, [hit(BOARD)], VOCABULARY) is None


@pytest.mark.parametrize(("question", "fact"), [
    ("Who chairs the local resilience forum these days?", True),
    ("Which councils got the best inspection results?", True),
    ("When is the next meeting of the combined authority?", True),
    ("What's the difference between a district and a unitary council?", True),
    ("Is there a national register of partnership boards?", True),
    ("Who should carry the risk when we deliver something jointly?", False),
    ("When partners disagree on priorities, how do I find common ground?", False),
    ("Where should leadership focus when the future is uncertain?", False),
    ("How do I get partners to commit money to the shared plan?", False),
    # after what a text says: its own content, which the guidance states
    ("What's the 'judgment call' Tizard wrote about in 2008?", False),
    ("What's the main point in the 2006 evaluation?", False),
])
def test_a_question_after_a_fact_is_told_from_one_after_advice(question: str, fact: bool) -> None:
    assert asks_for_fact(question) is fact


def test_a_question_after_a_fact_must_read_more_clearly_in_scope_unless_the_guidance_is_very_close() -> None:
    rule = CoverageRule(threshold=0.38, margin=-0.04, in_scope=0.07, sure=0.75, fact_in_scope=0.45)
    assert rule.covers(0.6, 0.5, in_scope=0.3)  # advice: read as in scope well enough
    assert not rule.covers(0.6, 0.5, in_scope=0.3, asks_fact=True)
    assert rule.covers(0.6, 0.5, in_scope=0.5, asks_fact=True)
    assert rule.covers(0.8, 0.5, in_scope=0.3, asks_fact=True)  # the guidance all but states it
    assert DEFAULT_RULE.fact_in_scope > DEFAULT_RULE.in_scope


def test_the_decline_says_what_is_missing_and_what_the_coach_can_help_with() -> None:
    text = missing_answer_decline(FIGURE)
    assert "gives no figure" in text and "I can help with" in text


# Through the offline answerer on the bundled guidance (questions written for this test, not from the eval sets).
@pytest.mark.parametrize("question", [
    "How many deputy chairs should a partnership board have?",
    "What's the difference between a unitary authority and a mayoral combined authority?",
])
def test_the_offline_answerer_declines_a_fact_of_a_kind_the_guidance_does_not_hold(offline_answerer,  # type: ignore[no-untyped-def]
                                                                                   question: str) -> None:
    answer = offline_answerer.answer(question)
    assert (answer.covered, answer.mode, answer.citations) == (False, "declined", [])
    assert "I can help with" in answer.text


def test_the_offline_answerer_answers_a_count_the_guidance_gives(offline_answerer) -> None:  # type: ignore[no-untyped-def]
    answer = offline_answerer.answer("What proportion of LSPs have a chair from another sector?")
    assert answer.covered
    assert "47 per cent" in answer.text or "nearly half" in answer.text
