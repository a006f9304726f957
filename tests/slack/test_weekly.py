"""Weekly prompts: settings by slash command, delivery by DM once across workers, buttons, rate limits."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.coaching.model import Subscription
from bot.slack.client import build_client
from bot.slack.services import CoachingServices
from bot.slack.weekly import run_once
from bot.storage import connect
from tests.slack.conftest import SlackHarness, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI

PERSON = "slack:T1:U1"


def make_due(db: object, person: str = PERSON) -> None:
    now = datetime.now(UTC)
    with db.uow() as uow:  # type: ignore[attr-defined]
        uow.users.ensure(person, now)
        uow.weekly.save(Subscription(user_id=person, active=True, weekday=now.weekday(), local_time="00:00",
                                     timezone="UTC", next_due_at=now - timedelta(minutes=5)), now)
        uow.commit()


def test_weekly_on_uses_the_timezone_from_the_users_slack_profile(coached: SlackHarness) -> None:
    coached.api.user_timezones["U1"] = "America/New_York"
    coached.slack.command("weekly on tuesday 08:30")
    reply = coached.api.wait_for("chat.postEphemeral")[0]
    assert reply["text"].startswith("Weekly prompts are on: Tuesdays at 08:30 (America/New_York)")
    assert coached.api.called("users.info")[0]["user"] == "U1"
    coached.slack.command("weekly off")
    assert coached.api.wait_for("chat.postEphemeral", count=2)[1]["text"].startswith("Weekly prompts are off")


def test_weekly_with_a_bad_time_says_how_to_fix_it(coached: SlackHarness) -> None:
    coached.slack.command("weekly on monday 25:99")
    assert "/coach weekly on monday 09:00" in coached.api.wait_for("chat.postEphemeral")[0]["text"]


def test_weekly_prompt_is_delivered_once_by_two_workers(exercise_harness: SlackHarness,
                                                        fake_slack: FakeSlackAPI) -> None:
    coaching = exercise_harness.services.coaching
    assert coaching is not None
    make_due(coaching.db)
    settings = slack_settings(fake_slack)
    # Two workers: separate engines and clients on one database, running at the same moment.
    workers = [CoachingServices(db=connect(str(coaching.db.engine.url)), library=coaching.library,
                                settings=settings) for _ in range(2)]
    barrier = threading.Barrier(2)
    reports = []

    def work(services: CoachingServices) -> None:
        barrier.wait()
        reports.append(run_once(services, build_client(settings, "xoxb-test")))

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    prompts = [m for m in fake_slack.called("chat.postMessage") if "weekly reflection" in m["text"]]
    assert len(prompts) == 1
    assert sorted(len(r.sent) for r in reports) == [0, 1]
    assert [e["action_id"] for e in prompts[0]["blocks"][1]["elements"]] == [
        "weekly_start", "weekly_skip", "weekly_snooze"]


def test_weekly_prompt_is_delivered_once_by_two_app_processes(exercise_harness: SlackHarness,
                                                              fake_slack: FakeSlackAPI, tmp_path: Path) -> None:
    coaching = exercise_harness.services.coaching
    assert coaching is not None
    make_due(coaching.db)
    url = coaching.db.engine.url.render_as_string(hide_password=False)
    start_at = time.time() + 8  # both processes import, connect, then run at the same moment
    workers = [subprocess.Popen([sys.executable, "-m", "tests.slack.weekly_worker", url, fake_slack.url,
                                 str(tmp_path / "exercises"), str(start_at)], stdout=subprocess.PIPE, text=True)
               for _ in range(2)]
    reports = [json.loads(w.communicate(timeout=120)[0].strip().splitlines()[-1]) for w in workers]
    assert sorted(len(r["sent"]) for r in reports) == [0, 1]
    prompts = [m for m in fake_slack.called("chat.postMessage") if "weekly reflection" in m["text"]]
    assert len(prompts) == 1


def test_weekly_delivery_waits_out_a_rate_limit(exercise_harness: SlackHarness,
                                                fake_slack: FakeSlackAPI) -> None:
    coaching = exercise_harness.services.coaching
    assert coaching is not None
    make_due(coaching.db)
    fake_slack.rate_limit("chat.postMessage", retry_after=1)
    report = run_once(coaching, build_client(slack_settings(fake_slack), "xoxb-test"))
    assert report.sent == [PERSON]
    assert len(fake_slack.called("chat.postMessage")) == 2  # the 429, then the retry


def test_weekly_buttons_start_skip_and_snooze(exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    container = {"type": "message", "channel_id": "D1", "message_ts": "1700005000.000100"}
    h.slack.action("weekly_snooze", "mapping-influence", container=container,
                   message={"ts": "1700005000.000100", "text": "Your weekly reflection: Mapping your influence."})
    scheduled = h.api.wait_for("chat.scheduleMessage")[0]
    assert scheduled["channel"] == "D1" and int(scheduled["post_at"]) > datetime.now(UTC).timestamp() + 23 * 3600
    h.slack.action("weekly_skip", "mapping-influence", container=container)
    h.slack.action("weekly_start", "mapping-influence", container=container)
    step = h.api.wait_for("chat.postMessage", count=3)[-1]  # consent notice, opening, first step
    assert "Step 1 of 3" in step["blocks"][0]["text"]["text"]
    updates = [u["text"] for u in h.api.wait_for("chat.update", count=3)]
    assert any(u.startswith("Skipped this week") for u in updates)

