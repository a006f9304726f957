"""Data rights: the privacy notice, export, erasure across every table, retention of free text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, Text, func, or_, select

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import append_turn, record_feedback, set_profile
from bot.coaching.data_rights import (
    erase_user,
    export_user_data,
    pseudonym,
    purge_old,
    ratings_csv,
)
from bot.coaching.exercises import ExerciseLibrary
from bot.coaching.privacy_notice import notice_shown, record_notice_shown
from bot.coaching.reflection import answer_step, start_or_resume_exercise
from bot.coaching.scheduler import run_due
from bot.coaching.weekly import subscribe
from bot.storage import Database
from bot.storage.orm import Base

USER = "slack:T1:U1"
OTHER = "slack:T1:U2"
SECRET = b"test-secret"
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _populate(db: Database, library: ExerciseLibrary, user: str) -> None:
    record_notice_shown(db.uow(), user, now=T0)
    set_profile(db.uow(), user, timezone="Europe/London", cohort="North cohort", role="leader")
    submit_assessment(db.uow(), user, {"listening": 3, "letting-go": 4}, notes="note <!channel>", now=T0,
                      submission_key="k1")
    progress = start_or_resume_exercise(db.uow(), library, user, "listening-map", now=T0)
    answer_step(db.uow(), library, user, progress.session_id, "The police", now=T0)
    subscribe(db.uow(), user, now=T0)
    run_due(db.uow(), lambda prompt: None, library, T0 + timedelta(days=7, minutes=1))
    record_feedback(db.uow(), user, "answer-1", helpful=False, comment="too long", conversation_id="c-" + user, now=T0)
    append_turn(db.uow(), "c-" + user, "user", "How do I lead?", user_id=user, now=T0)


def _rows_mentioning(db: Database, user: str) -> dict[str, int]:
    """Rows in any table with any text column containing the user id."""
    found: dict[str, int] = {}
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, String | Text)]
            if columns:
                count = connection.execute(select(func.count()).select_from(table).where(
                    or_(*(c.contains(user, autoescape=True) for c in columns)))).scalar_one()
                if count:
                    found[table.name] = count
    return found


def test_the_privacy_notice_is_recorded_as_given_once(db: Database) -> None:
    assert not notice_shown(db.uow(), USER)
    first = record_notice_shown(db.uow(), USER, now=T0)
    assert record_notice_shown(db.uow(), USER, now=T0 + timedelta(days=1)) == first
    assert notice_shown(db.uow(), USER)
    with db.uow() as uow:
        assert [(e.actor, e.action) for e in uow.audit.entries(subject=USER)] == [(USER, "notice_shown")]


def test_export_holds_everything_about_the_user_and_nothing_about_others(db: Database,
                                                                         library: ExerciseLibrary) -> None:
    _populate(db, library, USER)
    _populate(db, library, OTHER)
    export = json.loads(json.dumps(export_user_data(db.uow(), USER)))
    tables = export["tables"]
    for name in ("users", "submissions", "ratings", "reflections", "exercise_sessions", "subscriptions",
                 "deliveries", "answer_feedback", "conversation_turns", "audit_log"):
        assert tables[name], name
    assert OTHER not in json.dumps(export)
    assert tables["submissions"][0]["note"] == "note <!channel>"
    csv_text = ratings_csv(export)
    assert csv_text.splitlines()[0] == "created_at,submission_id,attribute_id,rating,note"
    assert len(csv_text.splitlines()) == 3


def test_erasure_leaves_zero_rows_for_the_user_in_every_table(db: Database, library: ExerciseLibrary) -> None:
    _populate(db, library, USER)
    _populate(db, library, OTHER)
    assert len(_rows_mentioning(db, USER)) >= 9
    counts = erase_user(db.uow(), USER, SECRET)
    assert counts["users"] == 1 and counts["ratings"] == 2 and counts["conversation_turns"] == 1
    assert _rows_mentioning(db, USER) == {}
    assert len(_rows_mentioning(db, OTHER)) >= 9  # the other user is untouched
    with db.uow() as uow:
        assert [a for a, _, _ in uow.audit.for_subject(pseudonym(USER, SECRET))] == ["erasure"]


def test_retention_purges_old_free_text_and_keeps_ratings(db: Database, library: ExerciseLibrary) -> None:
    _populate(db, library, USER)
    submit_assessment(db.uow(), USER, {"listening": 5}, notes="recent note", now=T0 + timedelta(days=400))
    counts = purge_old(db.uow(), retention_days=365, now=T0 + timedelta(days=401))
    assert counts["reflections.answer"] == 1 and counts["submissions.note"] == 1
    assert counts["conversation_turns"] == 1 and counts["answer_feedback.comment"] == 1
    export = export_user_data(db.uow(), USER)["tables"]
    assert [s["note"] for s in export["submissions"]] == [None, "recent note"]
    assert len(export["ratings"]) == 3
    assert all(r["answer"] is None for r in export["reflections"])


def test_the_daily_purge_runs_once_a_day_whoever_calls_it(db: Database) -> None:
    from bot.coaching.data_rights import purge_old_daily

    day = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert purge_old_daily(db.uow(), 365, now=day) is not None
    assert purge_old_daily(db.uow(), 365, now=day + timedelta(hours=20)) is None
    assert purge_old_daily(db.uow(), 365, now=day + timedelta(days=1)) is not None
