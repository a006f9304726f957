"""Conversation memory: trimmed to a token budget, older turns condensed, stored in the database."""

from __future__ import annotations

import pytest

from bot.answering.memory import DatabaseTurnStore, InMemoryTurnStore, TurnText, format_history, token_counter
from bot.storage import Database


def words(text: str) -> int:
    return len(text.split())


def test_history_keeps_the_newest_turns_whole_and_condenses_the_older_ones() -> None:
    turns = [TurnText("user" if i % 2 == 0 else "assistant", f"turn {i} " + "word " * 20) for i in range(10)]
    history = format_history(turns, budget=100, count=words)
    assert words(history) <= 100
    assert history.splitlines()[-1].startswith("Coach: turn 9 ")
    assert history.startswith("Earlier the user asked: ")
    assert "turn 0 " in history.splitlines()[0]  # older questions survive, condensed
    assert "Coach: turn 1 " not in history


@pytest.mark.parametrize("budget", [0, 5, 30, 1000])
def test_history_never_exceeds_its_budget(budget: int) -> None:
    turns = [TurnText("user", "How do I lead the NHS? " * 5), TurnText("assistant", "Share a vision. " * 10)] * 4
    assert token_counter()(format_history(turns, budget=budget)) <= budget


def test_a_short_conversation_is_sent_whole_with_identifiers_stripped() -> None:
    turns = [TurnText("user", "Ask <@U0123ABCD> about it"), TurnText("assistant", "Share a vision [1].")]
    assert format_history(turns, budget=1000) == "User: Ask someone about it\nCoach: Share a vision [1]."


def test_the_token_counter_counts_something_for_any_text() -> None:
    count = token_counter()
    assert count("") == 0 < count("partnership") <= count("partnership leadership in England")


def check_turn_store(store: InMemoryTurnStore | DatabaseTurnStore) -> None:
    for n in range(4):
        store.append_turn("a", "slack:T1:U1", "user", f"question {n}", answered=n % 2 == 0)
    store.append_turn("b", "slack:T1:U1", "user", "elsewhere")
    store.append_turn("a", "slack:T1:U2", "user", "someone else in the same thread")
    store.append_turn("a", None, "user", "a terminal session")
    recent = store.recent_turns("a", "slack:T1:U1", limit=2)
    assert [(t.content, t.answered) for t in recent] == [("question 2", True), ("question 3", False)]
    assert [t.role for t in store.recent_turns("b", "slack:T1:U1")] == ["user"]
    assert [t.content for t in store.recent_turns("a", "slack:T1:U2")] == ["someone else in the same thread"]
    assert [t.content for t in store.recent_turns("a", None)] == ["a terminal session"]
    assert store.recent_turns("a", "slack:T1:U3") == []


def test_turns_are_kept_per_conversation_and_person_oldest_first_in_memory() -> None:
    check_turn_store(InMemoryTurnStore())


def test_turns_are_kept_per_conversation_and_person_oldest_first_in_the_database(db: Database) -> None:
    check_turn_store(DatabaseTurnStore(db))
