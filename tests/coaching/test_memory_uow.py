"""The conversation core on its in-memory unit of work: the same contract as the database, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.coaching.conversation import append_turn, recent_turns, record_feedback, set_profile
from bot.coaching.memory_uow import MemoryStore
from bot.coaching.model import Turn
from bot.errors import InvalidInputError

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_turns_come_back_per_conversation_and_person_oldest_first() -> None:
    store = MemoryStore()
    for i in range(5):
        append_turn(store.uow(), "c1", "user", f"t{i}", "u1", answered=True, now=NOW)
    append_turn(store.uow(), "c1", "user", "someone else", "u2", now=NOW)
    assert [t.content for t in recent_turns(store.uow(), "c1", "u1", limit=2)] == ["t3", "t4"]
    assert [t.content for t in recent_turns(store.uow(), "c1", "u2")] == ["someone else"]
    assert recent_turns(store.uow(), "c1", "u3") == []


def test_what_is_not_committed_is_not_kept() -> None:
    store = MemoryStore()
    with store.uow() as uow:
        uow.users.ensure("u1", NOW)
        uow.turns.append(Turn("c1", "user", "never committed", NOW, "u1"))
    assert recent_turns(store.uow(), "c1", "u1") == []


def test_a_turn_for_an_unknown_person_is_refused_as_the_database_refuses_it() -> None:
    store = MemoryStore()
    with store.uow() as uow, pytest.raises(ValueError):
        uow.turns.append(Turn("c1", "user", "orphan", NOW, "nobody"))


def test_a_unit_of_work_is_used_once_at_a_time_and_only_inside_with() -> None:
    uow = MemoryStore().uow()
    with pytest.raises(RuntimeError):
        uow.turns.recent("c1", None, 1)
    with uow, pytest.raises(RuntimeError):
        uow.__enter__()


def test_feedback_and_profile_go_through_the_same_services() -> None:
    store = MemoryStore()
    record_feedback(store.uow(), "u1", "answer-7", helpful=True, comment="spot on", now=NOW)
    user = set_profile(store.uow(), "u1", timezone="Europe/Paris", role="leader")
    assert (user.timezone, user.role) == ("Europe/Paris", "leader")
    with store.uow() as uow:
        assert [f.comment for f in uow.feedback.for_user("u1")] == ["spot on"]
    with pytest.raises(InvalidInputError):
        set_profile(store.uow(), "u1", role="king")
