"""Conversation memory for the LLM answerer, answer feedback and the user's profile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coaching.conversation import append_turn, recent_turns, record_feedback, set_profile
from bot.errors import InvalidInputError
from bot.storage import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_turns_come_back_oldest_first_limited_to_the_most_recent(db: Database) -> None:
    for i in range(12):
        append_turn(db.uow(), "thread-1", "user" if i % 2 == 0 else "assistant", f"t{i}", user_id="u1",
                    now=NOW + timedelta(seconds=i))
    append_turn(db.uow(), "thread-2", "user", "other thread")
    assert [t.content for t in recent_turns(db.uow(), "thread-1", "u1", limit=4)] == ["t8", "t9", "t10", "t11"]
    assert recent_turns(db.uow(), "no-such-thread", "u1") == []
    assert recent_turns(db.uow(), "thread-1", "u2") == []  # keyed by person too: nothing of u1's for u2


@pytest.mark.parametrize(("call", "field"), [
    (lambda db: append_turn(db.uow(), "c", "robot", "hi"), "role"),
    (lambda db: append_turn(db.uow(), "", "user", "hi"), "conversation_id"),
    (lambda db: record_feedback(db.uow(), "", "a1", True), "user_id"),
    (lambda db: record_feedback(db.uow(), "u1", "a1", False, comment="x" * 3001), "comment"),
    (lambda db: set_profile(db.uow(), "u1", timezone="Europe/Nowhere"), "timezone"),
    (lambda db: set_profile(db.uow(), "u1", role="king"), "role"),
])
def test_bad_input_names_the_field(db: Database, call, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError) as info:
        call(db)
    assert info.value.field == field


def test_feedback_and_profile_are_stored(db: Database) -> None:
    record_feedback(db.uow(), "u1", "answer-7", helpful=True, comment="spot on", conversation_id="c1", now=NOW)
    set_profile(db.uow(), "u1", timezone="Europe/Paris", cohort="Cohort A", role="programme_manager")
    with db.uow() as uow:
        user = uow.users.get("u1")
        feedback = uow.feedback.for_user("u1")
    assert user is not None and (user.timezone, user.cohort, user.role) == ("Europe/Paris", "Cohort A",
                                                                           "programme_manager")
    assert [(f.answer_id, f.helpful, f.comment) for f in feedback] == [("answer-7", True, "spot on")]


def test_a_cohort_label_too_long_is_refused_and_a_blank_one_clears_it(db: Database) -> None:
    set_profile(db.uow(), "u1", cohort="Cohort A")
    with pytest.raises(InvalidInputError) as info:
        set_profile(db.uow(), "u1", cohort="x" * 201)
    assert info.value.field == "cohort"
    assert set_profile(db.uow(), "u1", role="leader").cohort == "Cohort A"  # nothing changed by the refusal
    assert set_profile(db.uow(), "u1", cohort="  ").cohort is None
