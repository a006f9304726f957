"""Scope decided on the question as typed; earlier turns only resolve a reference back. No database, no model:
the served answerer over an in-memory unit of work and a small engine (the fast tier)."""

from __future__ import annotations

import pytest

from bot.answering.answer import Answer
from bot.answering.followup import follow_up, on_its_own, refers_back
from bot.answering.llm import LLMAnswerer
from bot.answering.memory import InMemoryTurnStore, TurnText
from bot.answering.scope import ThresholdScope
from bot.config import Settings
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import terms

GUIDANCE = ("A partnership leader needs vision, trust and the skill to influence partners such as the NHS and "
            "the police; accountability cannot be delegated; leading in a two-tier county area matters.")


class Engine:
    """Covers a question when it shares a content word with GUIDANCE; records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def answer(self, question: str) -> Answer:
        self.asked.append(question)
        if terms(question) & terms(GUIDANCE) - terms("matters most which"):
            return Answer("Leaders influence rather than control [1].", [], covered=True, mode="offline")
        return Answer("The guidance does not cover that.", [], covered=False, mode="declined")


class NoPassages:
    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None) -> list[Hit]:
        return []


@pytest.fixture
def engine() -> Engine:
    return Engine()


@pytest.fixture
def coach(engine: Engine) -> LLMAnswerer:
    return LLMAnswerer(NoPassages(), None, engine, scope=ThresholdScope(0.4, [GUIDANCE]), linker=None,
                       turns=InMemoryTurnStore(), settings=Settings())


@pytest.mark.parametrize(("question", "refers"), [
    ("Which of those matters most in a two-tier county area?", True),
    ("and with the NHS?", True),
    ("Tell me more about the second one", True),
    ("What about the police?", True),
    ("Can you give an example?", True),
    ("Why?", True),
    ("How do I apply that?", True),
    ("What does Tizard say about cost shunting?", False),
    ("What's the best pizza topping?", False),
    ("How do I build trust with the NHS?", False),
])
def test_a_question_refers_back_only_when_its_words_point_back(question: str, refers: bool) -> None:
    assert refers_back(question) is refers


def test_a_leading_and_is_dropped_when_a_question_stands_alone() -> None:
    assert on_its_own("And how do I build trust with the NHS?") == "how do I build trust with the NHS?"
    assert on_its_own("Andrew asked about trust") == "Andrew asked about trust"


def test_context_is_the_last_answered_question_never_a_declined_one() -> None:
    history = [TurnText("user", "How do I build trust?", True), TurnText("assistant", "..."),
               TurnText("user", "Best pizza topping?", False), TurnText("assistant", "declined")]
    found = follow_up("and with the NHS?", history, ThresholdScope(0.4))
    assert found is not None and found.context == "How do I build trust?"
    assert follow_up("and with the NHS?", history[2:], ThresholdScope(0.4)) is None


def test_a_follow_up_bringing_in_a_subject_the_guidance_never_mentions_gets_no_context() -> None:
    history = [TurnText("user", "How do I build trust?", True)]
    assert follow_up("And what about pizza?", history, ThresholdScope(0.4, [GUIDANCE])) is None
    assert follow_up("And what about the police?", history, ThresholdScope(0.4, [GUIDANCE])) is not None


def test_an_off_topic_question_after_an_on_topic_one_is_declined(coach: LLMAnswerer, engine: Engine) -> None:
    assert coach.answer("How do I build trust with partners?", "c1").meta["scope"] == "standalone"
    answer = coach.answer("What's the best pizza topping?", "c1")
    assert (answer.covered, answer.meta["scope"]) == (False, "declined")
    assert engine.asked[-1] == "What's the best pizza topping?"  # searched as typed, no earlier question


def test_an_on_topic_question_after_an_off_topic_one_is_answered_first_time(coach: LLMAnswerer) -> None:
    assert not coach.answer("Can you recommend a good curry house nearby?", "c1").covered
    assert coach.answer("Who is accountable for the money?", "c1").meta["scope"] == "standalone"


def test_a_long_follow_up_is_resolved_with_the_question_it_refers_to(coach: LLMAnswerer, engine: Engine) -> None:
    coach.answer("What does a partnership leader need?", "c1")
    answer = coach.answer("Which of those matters most in a two-tier county area?", "c1")
    assert answer.meta["scope"] == "follow-up"
    assert engine.asked[-1] == ("What does a partnership leader need? "
                                "Which of those matters most in a two-tier county area?")


def test_context_never_sinks_a_question_the_guidance_covers(coach: LLMAnswerer, engine: Engine) -> None:
    class Sinking(Engine):  # declines anything long, as a diluted search might
        def answer(self, question: str) -> Answer:
            return super().answer(question) if len(question) < 40 else super().answer("pizza")

    sinking = Sinking()
    answerer = LLMAnswerer(NoPassages(), None, sinking, scope=ThresholdScope(0.4), linker=None,
                           turns=InMemoryTurnStore(), settings=Settings())
    answerer.answer("What does a leader need?", "c1")
    answer = answerer.answer("And what about the police?", "c1")
    assert answer.covered and answer.meta["scope"] == "standalone"


def test_memory_is_the_persons_own_and_holds_what_they_typed(coach: LLMAnswerer, engine: Engine) -> None:
    coach.answer("What does a partnership leader need?", "c1", user_id="alice")
    answer = coach.answer("Which of those matters most?", "c1", user_id="bob")
    assert answer.meta["scope"] == "declined" and engine.asked[-1] == "Which of those matters most?"
    turns = coach._turns
    assert turns is not None
    assert [t.content for t in turns.recent_turns("c1", "bob")] == ["Which of those matters most?",
                                                                    "The guidance does not cover that."]
    assert turns.recent_turns("c1", "alice")[0].content == "What does a partnership leader need?"
