"""A question may name the guidance it asks ("the 2008 Tizard article", "the national evaluation"): that is no sign
of a question it does not answer, while naming some other source (an act, another body's guidance) still is."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("question", [
    "What does the 2008 Tizard article say about probity?",  # declined before the scope model learnt sources' names
    "What did the 2006 evaluation say about the balance of power in LSPs?",
    "What's Tizard's 2008 point about accountability that can't be delegated?",
    # asked after what the text says, not after a fact of the world (bot.answering.answerability.asks_for_fact)
    "What's the 'judgment call' Tizard wrote about in 2008, between being close to partners and probity?",
    "What's the judgment call in the 2008 politics of partnership piece?",
])
def test_a_question_naming_the_guidances_own_source_is_answered(offline_answerer, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = offline_answerer.answer(question)
    assert answer.covered and answer.citations, (question, answer.meta)


@pytest.mark.parametrize("question", [
    "What does NHS England's 2022 guidance say about ICB membership?",
    "What did the Audit Commission say about council tax levels in 2005?",
    "What does the Local Government Act 2000 say about the well-being power?",
])
def test_a_question_naming_another_source_or_asking_what_the_guidance_never_gives_is_declined(  # type: ignore[no-untyped-def]
        offline_answerer, question: str) -> None:
    answer = offline_answerer.answer(question)
    assert not answer.covered and "I can help with" in answer.text
