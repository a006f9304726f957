"""Retention is applied by the serving app itself: nobody has to remember to schedule a purge."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient

from bot.coaching.conversation import append_turn, recent_turns
from bot.coaching.exercises import exercise_library
from bot.config import Settings
from bot.slack.installations import OneWorkspace
from bot.slack.services import CoachingServices
from bot.slack.weekly import WeeklyLoop
from bot.storage import Database
from tests.storage.databases import database_url, db  # noqa: F401


def test_the_running_app_deletes_conversation_turns_older_than_their_retention(db: Database) -> None:  # noqa: F811
    now = datetime.now(UTC)
    append_turn(db.uow(), "dm-1", "user", "an old question", "officer-1", now=now - timedelta(days=31))
    append_turn(db.uow(), "dm-1", "user", "a recent question", "officer-1", now=now - timedelta(days=1))
    coaching = CoachingServices(db=db, library=exercise_library(), settings=Settings(turn_retention_days=30))
    # Nothing is due, so the weekly half of the loop never calls Slack: an unreachable client is enough.
    loop = WeeklyLoop(coaching, OneWorkspace(WebClient(base_url="http://127.0.0.1:9/")), interval=0.05).start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(recent_turns(db.uow(), "dm-1", "officer-1")) > 1:
            time.sleep(0.05)
    finally:
        loop.stop()
    assert [t.content for t in recent_turns(db.uow(), "dm-1", "officer-1")] == ["a recent question"]
