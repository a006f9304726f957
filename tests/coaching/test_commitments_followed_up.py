"""Commitments on the database (SQLite, and PostgreSQL when configured): followed up in the next weekly prompt
exactly once, prompts paused until a date, and commitments in the export, the erasure and the retention purge."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.coaching.commitments import commitments_of, make_commitment, record_outcome
from bot.coaching.data_rights import erase_user, export_user_data, purge_old
from bot.coaching.exercises import ExerciseLibrary
from bot.coaching.pause import pause, resume
from bot.coaching.scheduler import WeeklyPrompt, run_due
from bot.coaching.weekly import subscribe, subscription_status
from bot.errors import InvalidInputError
from bot.storage import Database

SUNDAY = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # prompts: Mondays 09:00 London (GMT until 29 March)
MONDAY = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)


def sent_by(db: Database, library: ExerciseLibrary, *moments: datetime) -> list[WeeklyPrompt]:
    outbox: list[WeeklyPrompt] = []
    for moment in moments:
        run_due(db.uow(), outbox.append, library, moment)
    return outbox


def test_the_next_weekly_prompt_opens_with_the_commitment_and_is_still_sent_once(db: Database,
                                                                                library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    made = make_commitment(db.uow(), "u1", "Meet the district leads", by="2026-03-06", with_whom="Sam",
                           session_id=None, now=SUNDAY)
    assert made is not None
    [prompt] = sent_by(db, library, MONDAY, MONDAY + timedelta(minutes=1), MONDAY + timedelta(days=2))
    assert prompt.commitment_id == made.id
    assert prompt.text.startswith("Last week you said you would meet the district leads, with Sam, by Fri 6 Mar "
                                  "2026. How did it go?\n\nYour weekly reflection:")
    assert commitments_of(db.uow(), "u1")[0].followed_up_at == MONDAY
    # "Not yet" keeps it open: the week after asks again; "done" settles it: the week after that does not.
    record_outcome(db.uow(), "u1", made.id, "not yet", now=MONDAY + timedelta(hours=1))
    [again] = sent_by(db, library, MONDAY + timedelta(weeks=1))
    assert again.commitment_id == made.id
    record_outcome(db.uow(), "u1", made.id, "done", now=MONDAY + timedelta(weeks=1, hours=1))
    [third] = sent_by(db, library, MONDAY + timedelta(weeks=2))
    assert third.follow_up is None and third.text.startswith("Your weekly reflection:")
    kept = commitments_of(db.uow(), "u1")[0]
    assert (kept.status, kept.outcome_at) == ("done", MONDAY + timedelta(weeks=1, hours=1))


def test_a_commitment_made_after_the_prompt_was_due_waits_for_the_next_one(db: Database,
                                                                         library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    make_commitment(db.uow(), "u1", "Ring the district", now=MONDAY)  # a minute after 09:00
    [prompt] = sent_by(db, library, MONDAY + timedelta(minutes=5))
    assert prompt.follow_up is None


def test_paused_prompts_are_not_sent_until_the_date_then_come_at_the_usual_time(db: Database,
                                                                              library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    paused = pause(db.uow(), "u1", "2026-03-18", now=SUNDAY)  # a Wednesday: two Mondays are skipped
    assert paused.paused_until == date(2026, 3, 18)
    assert paused.next_due_at == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
    mondays = [MONDAY, MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=2)]
    assert sent_by(db, library, *mondays) == []
    [prompt] = sent_by(db, library, datetime(2026, 3, 23, 9, 1, tzinfo=UTC))
    assert prompt.iso_week == "2026-W13"


def test_the_loop_honours_a_pause_even_when_something_made_the_prompt_due(db: Database,
                                                                        library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    pause(db.uow(), "u1", "2026-03-18", now=SUNDAY)
    with db.uow() as uow:  # e.g. a snooze clicked on an old prompt
        uow.weekly.set_next_due("u1", SUNDAY, SUNDAY)
        uow.commit()
    assert sent_by(db, library, MONDAY) == []
    assert subscription_status(db.uow(), "u1").next_due_at == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_resume_ends_the_pause_now(db: Database, library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    pause(db.uow(), "u1", "2026-04-30", now=SUNDAY)
    resumed = resume(db.uow(), "u1", now=SUNDAY)
    assert resumed is not None and resumed.next_due_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert subscription_status(db.uow(), "u1").paused_until is None  # type: ignore[union-attr]
    assert [p.user_id for p in sent_by(db, library, MONDAY)] == ["u1"]


@pytest.mark.parametrize(("until", "message"), [
    ("10/01/2027", "is not a date: write it as YYYY-MM-DD"),
    ("2026-02-31", "is not a date"),
    ("2026-02-20", "has already passed"),
    ("2026-03-01", "after today (2026-03-01)"),
    ("2027-06-01", "is too far ahead"),
])
def test_a_bad_pause_date_is_refused_with_a_clear_message(db: Database, until: str, message: str) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        pause(db.uow(), "u1", until, now=SUNDAY)
    assert subscription_status(db.uow(), "u1").paused_until is None  # type: ignore[union-attr]


def test_pausing_needs_prompts_to_be_on(db: Database) -> None:
    with pytest.raises(InvalidInputError, match="Weekly prompts are off"):
        pause(db.uow(), "u1", "2026-03-18", now=SUNDAY)


def test_commitments_are_exported_purged_with_old_free_text_and_erased(db: Database) -> None:
    make_commitment(db.uow(), "u1", "Old promise", now=SUNDAY - timedelta(days=400))
    make_commitment(db.uow(), "u1", "Recent promise", by="2026-03-13", with_whom="Jo", now=SUNDAY)
    exported = export_user_data(db.uow(), "u1", now=SUNDAY)["tables"]["commitments"]
    assert [(c["what"], c["due_on"], c["with_whom"], c["status"]) for c in exported] == [
        ("Old promise", None, None, "open"), ("Recent promise", "2026-03-13", "Jo", "open")]
    assert purge_old(db.uow(), 365, now=SUNDAY)["commitments"] == 1
    assert [c.what for c in commitments_of(db.uow(), "u1")] == ["Recent promise"]
    counts = erase_user(db.uow(), "u1", b"k" * 32, now=SUNDAY)
    assert counts["commitments"] == 1 and counts["users"] == 1
    assert commitments_of(db.uow(), "u1") == []
