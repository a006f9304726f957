"""Commitments in the core, on the in-memory unit of work: made (or not) at the end of an exercise, followed up,
corrected, deleted; and what the coach remembers, with the conversation memory cleared on request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.coaching.commitments import (
    commitments_of,
    correct_commitment,
    delete_commitment,
    due_for_follow_up,
    follow_up_question,
    leave_until_next_week,
    make_commitment,
    record_outcome,
    to_follow_up,
)
from bot.coaching.conversation import append_turn
from bot.coaching.memory_uow import MemoryStore
from bot.coaching.remembers import forget_conversations, what_is_remembered
from bot.errors import InvalidInputError

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 2 March 2026


def test_a_commitment_keeps_what_by_when_and_with_whom() -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Meet the PCT chief executive", by="2026-03-13",
                           with_whom="the PCT chief executive", exercise_id="ex", session_id=4, now=NOW)
    assert made is not None
    assert (made.what, made.due_on, made.with_whom, made.status) == (
        "Meet the PCT chief executive", date(2026, 3, 13), "the PCT chief executive", "open")
    assert follow_up_question(made, NOW + timedelta(days=7)) == (
        "Last week you said you would meet the PCT chief executive, with the PCT chief executive, "
        "by Fri 13 Mar 2026. How did it go?")


@pytest.mark.parametrize("what", ["", "   ", None])
def test_a_blank_what_means_no_commitment(what: str | None) -> None:
    store = MemoryStore()
    assert make_commitment(store.uow(), "u1", what, by="2026-03-13", with_whom="x", now=NOW) is None
    assert commitments_of(store.uow(), "u1") == []


def test_every_part_but_what_is_optional_and_one_session_keeps_one_commitment() -> None:
    store = MemoryStore()
    first = make_commitment(store.uow(), "u1", "Ring the district", session_id=9, now=NOW)
    again = make_commitment(store.uow(), "u1", "Ring the district", session_id=9, now=NOW)
    assert first is not None and first.due_on is None and first.with_whom is None
    assert again is None and len(commitments_of(store.uow(), "u1")) == 1


@pytest.mark.parametrize(("by", "message"), [
    ("13/03/2026", "is not a date: write it as YYYY-MM-DD"),
    ("2026-02-30", "is not a date"),
    ("next friday", "is not a date"),
    ("2026-03-01", "has already passed"),
    ("2031-01-01", "is too far ahead"),
])
def test_a_bad_by_when_is_refused_with_how_to_write_it(by: str, message: str) -> None:
    store = MemoryStore()
    with pytest.raises(InvalidInputError, match=message) as refused:
        make_commitment(store.uow(), "u1", "Ring the district", by=by, now=NOW)
    assert refused.value.field == "by"
    assert commitments_of(store.uow(), "u1") == []


@pytest.mark.parametrize(("said", "kept"), [("Done", "done"), ("not yet", "not_yet"), ("Drop it", "dropped")])
def test_the_outcome_is_kept(said: str, kept: str) -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Ring the district", now=NOW)
    assert made is not None
    later = NOW + timedelta(days=7)
    updated = record_outcome(store.uow(), "u1", made.id, said, now=later)
    assert (updated.status, updated.outcome_at) == (kept, later)
    assert commitments_of(store.uow(), "u1")[0].status == kept


def test_the_same_answer_given_again_at_the_same_moment_is_recorded_once_and_a_later_one_again() -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Ring the district", now=NOW)
    assert made is not None
    clicked = NOW + timedelta(days=7)
    record_outcome(store.uow(), "u1", made.id, "not yet", now=clicked)
    again = record_outcome(store.uow(), "u1", made.id, "not yet", now=clicked)  # its work run again after a crash
    assert (again.status, again.outcome_at) == ("not_yet", clicked)
    a_week_on = clicked + timedelta(days=7)
    assert record_outcome(store.uow(), "u1", made.id, "not yet", now=a_week_on).outcome_at == a_week_on
    followed_up = [a for a in store.data.audit if a["action"] == "commitment_followed_up"]
    assert [a["created_at"] for a in followed_up] == [clicked, a_week_on]


def test_an_unknown_outcome_or_someone_elses_commitment_is_refused() -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Ring the district", now=NOW)
    assert made is not None
    with pytest.raises(InvalidInputError, match="done, not yet or drop"):
        record_outcome(store.uow(), "u1", made.id, "maybe", now=NOW)
    with pytest.raises(InvalidInputError, match="No commitment #"):
        record_outcome(store.uow(), "u2", made.id, "done", now=NOW)
    with pytest.raises(InvalidInputError, match="No commitment #"):
        delete_commitment(store.uow(), "u2", made.id, now=NOW)
    assert commitments_of(store.uow(), "u1")[0].status == "open"


def test_the_follow_up_is_the_latest_unsettled_commitment_made_before_the_prompt() -> None:
    store = MemoryStore()
    older = make_commitment(store.uow(), "u1", "First thing", now=NOW)
    newer = make_commitment(store.uow(), "u1", "Second thing", now=NOW + timedelta(hours=1))
    after = make_commitment(store.uow(), "u1", "Made after the prompt", now=NOW + timedelta(days=8))
    assert older and newer and after
    prompt_at = NOW + timedelta(days=7)
    with store.uow() as uow:
        assert to_follow_up(uow.commitments, "u1", prompt_at, prompt_at) == newer
    record_outcome(store.uow(), "u1", newer.id, "done", now=prompt_at)
    with store.uow() as uow:
        assert to_follow_up(uow.commitments, "u1", prompt_at, prompt_at) == older  # "not yet" and open ones stay asked
    record_outcome(store.uow(), "u1", older.id, "drop", now=prompt_at)
    with store.uow() as uow:
        assert to_follow_up(uow.commitments, "u1", prompt_at, prompt_at) is None
    assert follow_up_question(older, NOW + timedelta(days=20)).startswith("On 2 March you said you would")


def weekly_prompt_asks(store: MemoryStore, prompt_at: datetime) -> bool:
    """Whether the weekly prompt due at `prompt_at` opens with a follow-up (the scheduler records the ask)."""
    with store.uow() as uow:
        found = to_follow_up(uow.commitments, "u1", prompt_at, prompt_at)
        if found is not None:
            uow.commitments.update("u1", found.id, followed_up_at=prompt_at)
            uow.commit()
    return found is not None


def test_not_yet_answered_unasked_the_day_before_the_prompt_waits_for_the_prompt_a_week_later() -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Ring the district", now=NOW - timedelta(days=10))
    assert made is not None
    record_outcome(store.uow(), "u1", made.id, "not yet", now=NOW - timedelta(days=1))  # the Home tab's button
    assert not weekly_prompt_asks(store, NOW)
    assert weekly_prompt_asks(store, NOW + timedelta(weeks=1))


def test_not_yet_clicked_days_after_the_prompt_asked_is_asked_at_the_next_prompt() -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Ring the district", now=NOW - timedelta(days=3))
    assert made is not None
    assert weekly_prompt_asks(store, NOW)
    record_outcome(store.uow(), "u1", made.id, "not yet", now=NOW + timedelta(days=2))  # on Wednesday
    assert not weekly_prompt_asks(store, NOW + timedelta(days=5))  # a snoozed prompt that week does not ask again
    assert weekly_prompt_asks(store, NOW + timedelta(weeks=1))  # "I'll ask again next week"


def test_the_terminal_and_the_weekly_prompt_never_both_ask_in_one_week() -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Ring the district", now=NOW - timedelta(days=7))
    assert made is not None
    assert weekly_prompt_asks(store, NOW)
    assert due_for_follow_up(store.uow(), "u1", NOW + timedelta(days=5, hours=23)) is None  # asked in Slack
    asked_at = NOW + timedelta(days=6, hours=1)
    assert due_for_follow_up(store.uow(), "u1", asked_at) == commitments_of(store.uow(), "u1")[0]
    leave_until_next_week(store.uow(), "u1", made.id, asked_at)  # Enter at the terminal: asked, left
    assert not weekly_prompt_asks(store, NOW + timedelta(weeks=1))
    assert weekly_prompt_asks(store, NOW + timedelta(weeks=2))


def test_coach_reflect_asks_about_a_commitment_only_once_it_is_a_week_old() -> None:
    store = MemoryStore()
    make_commitment(store.uow(), "u1", "Ring the district", now=NOW)
    assert due_for_follow_up(store.uow(), "u1", NOW + timedelta(days=5, hours=23)) is None
    assert due_for_follow_up(store.uow(), "u1", NOW + timedelta(days=6, hours=1)) is not None  # next week, any hour


def test_a_commitment_can_be_corrected_and_deleted() -> None:
    store = MemoryStore()
    made = make_commitment(store.uow(), "u1", "Ring the distrcit", by="2026-03-13", with_whom="Jo", now=NOW)
    assert made is not None
    fixed = correct_commitment(store.uow(), "u1", made.id, what="Ring the district", by="", with_whom="", now=NOW)
    assert (fixed.what, fixed.due_on, fixed.with_whom) == ("Ring the district", None, None)
    with pytest.raises(InvalidInputError, match="delete it instead"):
        correct_commitment(store.uow(), "u1", made.id, what="  ", now=NOW)
    delete_commitment(store.uow(), "u1", made.id, now=NOW)
    assert commitments_of(store.uow(), "u1") == []


def test_what_is_remembered_shows_commitments_and_conversations_and_clears_only_the_conversations() -> None:
    store = MemoryStore()
    make_commitment(store.uow(), "u1", "Ring the district", now=NOW)
    append_turn(store.uow(), "c1", "user", "How do I lead without control?", "u1", answered=True, now=NOW)
    append_turn(store.uow(), "c1", "assistant", "By influence.", None, now=NOW)
    append_turn(store.uow(), "c2", "user", "someone else's question", "u2", now=NOW)
    found = what_is_remembered(store.uow(), "u1", now=NOW)
    assert [c.what for c in found.commitments] == ["Ring the district"]
    assert (len(found.turns), found.conversations) == (2, 1)
    assert [t.content for t in found.questions] == ["How do I lead without control?"]
    assert forget_conversations(store.uow(), "u1", now=NOW) == 2
    after = what_is_remembered(store.uow(), "u1", now=NOW)
    assert after.turns == () and len(after.commitments) == 1
    assert [t.content for t in what_is_remembered(store.uow(), "u2", now=NOW).turns] == ["someone else's question"]
