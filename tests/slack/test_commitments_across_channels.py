"""One follow-up a week, whichever channel asks first: a commitment marked "not yet" in the terminal (`coach
reflect`, a real process on the same database) is not asked again by the Slack weekly prompt of the next day,
and is asked by the prompt the week after. The prompts go out through the fake Web API.
On SQLite, and on PostgreSQL when COACH_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.coaching.commitments import commitments_of, make_commitment
from bot.coaching.exercises import exercise_library
from bot.coaching.scheduler import run_due
from bot.coaching.weekly import subscribe
from bot.slack.client import build_client
from bot.slack.weekly import deliver_by_dm
from bot.storage import Database
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI

REPO = Path(__file__).resolve().parents[2]
PERSON = "slack:T1:U1"
EXERCISE = next(iter(exercise_library()))
ANSWERS = ["3" if step.kind == "rating" else "we met the district councils twice" for step in EXERCISE.steps]


def reflect_in_terminal(database: Database, tmp_path: Path, first_line: str) -> str:
    """`coach reflect` for the person, answering the follow-up with `first_line`, then the exercise."""
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path), "COLUMNS": "250",
           "COACH_DATABASE_URL": database.engine.url.render_as_string(hide_password=False)}
    done = subprocess.run([sys.executable, "-m", "bot", "reflect", EXERCISE.id, "--user", PERSON, "--yes"],
                          input="\n".join([first_line, *ANSWERS, "n", ""]) + "\n", capture_output=True, text=True,
                          env=env, timeout=180, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def weekly_prompts(database: Database, fake_slack: FakeSlackAPI, at: datetime) -> list[dict]:
    """Run the weekly prompts due at `at` through the fake Web API; the DMs posted."""
    client = build_client(slack_settings(fake_slack), "xoxb-test")
    before = len(fake_slack.called("chat.postMessage"))
    run_due(database.uow(), lambda prompt: deliver_by_dm(client, prompt), exercise_library(), at)
    return fake_slack.called("chat.postMessage")[before:]


def buttons(message: dict) -> list[str]:
    return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_not_yet_in_the_terminal_is_not_asked_again_in_slack_that_week_but_is_the_week_after(
        database: Database, fake_slack: FakeSlackAPI, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    tomorrow = now + timedelta(days=1)
    made = make_commitment(database.uow(), PERSON, "Ring the district leads", now=now - timedelta(days=8))
    assert made is not None
    subscribe(database.uow(), PERSON, tomorrow.weekday(), "09:00", "UTC", now=now)  # prompts: tomorrow at 09:00

    shown = reflect_in_terminal(database, tmp_path, "not yet")
    assert "Last week you said you would ring the district leads. How did it go?" in shown
    assert "Not yet: I'll ask again next week." in shown
    assert [c.status for c in commitments_of(database.uow(), PERSON)] == ["not_yet"]

    prompt_day = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, 1, tzinfo=UTC)
    [next_day] = weekly_prompts(database, fake_slack, prompt_day)
    assert next_day["text"].startswith("Your weekly reflection:")  # answered yesterday: not asked again
    assert "How did it go?" not in next_day["text"]
    assert buttons(next_day) == ["weekly_start", "weekly_skip", "weekly_snooze"]

    [week_after] = weekly_prompts(database, fake_slack, prompt_day + timedelta(weeks=1))
    assert "you said you would ring the district leads. How did it go?" in week_after["text"]
    assert buttons(week_after)[:3] == ["commitment_done", "commitment_not_yet", "commitment_drop"]
    assert [c.status for c in commitments_of(database.uow(), PERSON)] == ["not_yet"]
