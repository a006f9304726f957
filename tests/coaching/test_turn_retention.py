"""Conversation turns are kept only as long as memory needs them: their own, shorter retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import append_turn, recent_turns
from bot.coaching.data_rights import purge_old
from bot.config import Settings
from bot.storage import Database

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
USER = "slack:T1:U1"


def test_turns_are_kept_thirty_days_by_default_and_the_setting_is_read_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().turn_retention_days == 30
    monkeypatch.setenv("COACH_TURN_RETENTION_DAYS", "7")
    assert Settings().turn_retention_days == 7


def test_the_purge_deletes_turns_past_their_retention_and_keeps_notes_for_theirs(db: Database) -> None:
    append_turn(db.uow(), "slack:D1:1", "user", "How do I build trust?", USER, answered=True, now=T0)
    append_turn(db.uow(), "slack:D1:1", "assistant", "Trust grows slowly [1].", USER, now=T0)
    append_turn(db.uow(), "slack:D1:2", "user", "And with the NHS?", USER, answered=True,
                now=T0 + timedelta(days=25))
    submit_assessment(db.uow(), USER, {"listening": 4}, notes="a note from day one", now=T0)
    counts = purge_old(db.uow(), retention_days=365, turn_retention_days=30, now=T0 + timedelta(days=31))
    assert counts["conversation_turns"] == 2 and counts["submissions.note"] == 0
    assert recent_turns(db.uow(), "slack:D1:1", USER) == []
    assert [t.content for t in recent_turns(db.uow(), "slack:D1:2", USER)] == ["And with the NHS?"]


def test_a_reference_to_a_purged_turn_is_answered_as_a_standalone_question(db: Database) -> None:
    from bot.answering.followup import follow_up
    from bot.answering.scope import ThresholdScope

    append_turn(db.uow(), "c", "user", "What attributes does a partnership leader need?", USER, answered=True, now=T0)
    purge_old(db.uow(), retention_days=365, turn_retention_days=30, now=T0 + timedelta(days=31))
    assert follow_up("Which of those matters most?", recent_turns(db.uow(), "c", USER), ThresholdScope(0.4)) is None
