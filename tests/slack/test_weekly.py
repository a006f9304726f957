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
from bot.coaching.scheduler import run_due
from bot.slack.client import build_client
from bot.slack.installations import OneWorkspace
from bot.slack.services import CoachingServices
from bot.slack.weekly import deliver_by_dm, run_once
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
    reply = coached.api.wait_for("response_url")[0]
    assert reply["text"].startswith("Weekly prompts are on: Tuesdays at 08:30 (America/New_York)")
    assert coached.api.called("users.info")[0]["user"] == "U1"
    coached.slack.command("weekly off")
    assert coached.api.wait_for("response_url", count=2)[1]["text"].startswith("Weekly prompts are off")


def test_weekly_with_a_bad_time_says_how_to_fix_it(coached: SlackHarness) -> None:
    coached.slack.command("weekly on monday 25:99")
    assert "/coach weekly on monday 09:00" in coached.api.wait_for("response_url")[0]["text"]


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
        reports.append(run_once(services, OneWorkspace(build_client(settings, "xoxb-test"))))

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
    report = run_once(coaching, OneWorkspace(build_client(slack_settings(fake_slack), "xoxb-test")))
    assert report.sent == [PERSON]
    assert len(fake_slack.exchanges("chat.postMessage")) == 2  # the 429, then the retry


def deliver_prompt(h: SlackHarness, fake_slack: FakeSlackAPI) -> tuple[dict, dict[str, str]]:
    """Make the weekly prompt due and let the app's scheduler run send it; the posted message and the
    `container` a click on it carries."""
    coaching = h.services.coaching
    assert coaching is not None
    make_due(coaching.db)
    assert run_once(coaching, OneWorkspace(build_client(slack_settings(fake_slack), "xoxb-test"))).sent == [PERSON]
    [prompt] = weekly_prompts(fake_slack)
    return prompt, {"type": "message", "channel_id": "D1", "message_ts": prompt["ts"]}


def weekly_prompts(fake_slack: FakeSlackAPI) -> list[dict]:
    """The weekly prompts Slack accepted, each with the ts it was given."""
    return [{**args, "ts": reply["ts"]} for args, reply in fake_slack.exchanges("chat.postMessage")
            if reply.get("ok") and "weekly reflection" in args["text"]]


def button(prompt: dict, action_id: str) -> str:
    return next(e["value"] for e in prompt["blocks"][1]["elements"] if e["action_id"] == action_id)


def subscription(h: SlackHarness) -> Subscription:
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        found = uow.weekly.get(PERSON)
    assert found is not None
    return found


def test_snooze_brings_the_prompt_back_once_a_day_later_through_the_core(exercise_harness: SlackHarness,
                                                                        fake_slack: FakeSlackAPI) -> None:
    h = exercise_harness
    prompt, container = deliver_prompt(h, fake_slack)
    value = button(prompt, "weekly_snooze")
    clicked = datetime.now(UTC)
    h.slack.action("weekly_snooze", value, container=container, message={"ts": container["message_ts"]})
    update = h.api.wait_for("chat.update")[0]
    snoozed = subscription(h)
    assert snoozed.snoozed_until is not None and snoozed.next_due_at == snoozed.snoozed_until
    assert timedelta(hours=23, minutes=59) < snoozed.snoozed_until - clicked < timedelta(hours=24, minutes=1)
    assert update["ts"] == container["message_ts"]
    assert update["text"] == f"Snoozed: I'll remind you tomorrow at {snoozed.snoozed_until:%H:%M}."  # UTC user
    assert "actions" not in json.dumps(update["blocks"])  # the buttons are gone
    # A retried delivery of the same click: dropped, so the snooze is not moved again.
    h.slack.action("weekly_snooze", value, container=container, message={"ts": container["message_ts"]})
    time.sleep(1.0)
    assert subscription(h).snoozed_until == snoozed.snoozed_until
    assert len(h.api.called("chat.update")) == 1
    assert h.api.called("chat.scheduleMessage") == []  # the core schedules it, not Slack
    # A day later two workers run the scheduler at once: the prompt comes back exactly once.
    coaching = h.services.coaching
    assert coaching is not None
    settings = slack_settings(fake_slack)
    workers = [CoachingServices(db=connect(str(coaching.db.engine.url)), library=coaching.library,
                                settings=settings) for _ in range(2)]
    later = snoozed.snoozed_until + timedelta(minutes=1)
    barrier = threading.Barrier(2)

    def work(services: CoachingServices) -> None:
        client = build_client(settings, "xoxb-test")
        barrier.wait()
        run_due(services.db.uow(), lambda p: deliver_by_dm(client, p), services.library, later)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    again = weekly_prompts(fake_slack)
    assert len(again) == 2
    assert again[1]["text"] == prompt["text"] and button(again[1], "weekly_skip") == button(prompt, "weekly_skip")
    with coaching.db.uow() as uow:
        [delivery] = uow.weekly.deliveries(PERSON)
    assert (delivery.status, delivery.snoozed_until) == ("sent", snoozed.snoozed_until)


def test_skip_is_recorded_once_in_the_core_then_exported_and_erased(exercise_harness: SlackHarness,
                                                                     fake_slack: FakeSlackAPI) -> None:
    h = exercise_harness
    prompt, container = deliver_prompt(h, fake_slack)
    value = button(prompt, "weekly_skip")
    h.slack.action("weekly_skip", value, container=container)
    assert h.api.wait_for("chat.update")[0]["text"].startswith("Skipped for this week")
    h.slack.action("weekly_skip", value, container=container)  # retried: recorded once
    time.sleep(1.0)
    assert len(h.api.called("chat.update")) == 1
    coaching = h.services.coaching
    assert coaching is not None
    with coaching.db.uow() as uow:
        [delivery] = uow.weekly.deliveries(PERSON)
    assert delivery.status == "skipped" and delivery.skipped_at is not None and delivery.sent_at is not None
    # The scheduler sends nothing more this ISO week.
    client = build_client(slack_settings(fake_slack), "xoxb-test")
    later = datetime.now(UTC) + timedelta(minutes=5)
    with coaching.db.uow() as uow:  # make it due again, as a snooze would
        uow.weekly.set_next_due(PERSON, datetime.now(UTC) - timedelta(minutes=1), datetime.now(UTC))
        uow.commit()
    assert run_due(coaching.db.uow(), lambda p: deliver_by_dm(client, p), coaching.library, later).sent == []
    assert len(weekly_prompts(fake_slack)) == 1
    # /coach my-data shows the skip; /coach forget-me erases it.
    h.slack.command("my-data")
    h.api.wait_for("files.completeUploadExternal")
    export = next(json.loads(u) for u in h.api.uploads if u.startswith(b"{"))
    assert [(d["iso_week"], d["status"]) for d in export["tables"]["deliveries"]] == [(delivery.iso_week, "skipped")]
    h.slack.command("forget-me")
    modal = h.api.wait_for("views.open")[0]["view"]
    posted = len(h.api.called("chat.postMessage"))
    h.slack.view_submission({"id": "VFORGET", "type": "modal", "callback_id": modal["callback_id"],
                             "state": {"values": {}}})
    assert h.api.wait_for("chat.postMessage", count=posted + 1)[-1]["text"].startswith("Done: I erased")
    with coaching.db.uow() as uow:
        assert uow.weekly.deliveries(PERSON) == []


def test_start_now_starts_the_prompts_exercise_in_a_thread(exercise_harness: SlackHarness,
                                                          fake_slack: FakeSlackAPI) -> None:
    h = exercise_harness
    prompt, container = deliver_prompt(h, fake_slack)
    h.slack.action("weekly_start", button(prompt, "weekly_start"), container=container)
    step = h.api.wait_for("chat.postMessage", count=4)[-1]  # prompt, privacy notice, opening, first step
    assert "Step 1 of 3" in step["blocks"][0]["text"]["text"]
    assert h.api.wait_for("chat.update")[0]["text"].startswith("Starting it now")


def test_a_button_on_a_prompt_when_weekly_prompts_are_off_says_so(exercise_harness: SlackHarness,
                                                                  fake_slack: FakeSlackAPI) -> None:
    h = exercise_harness
    prompt, container = deliver_prompt(h, fake_slack)
    h.slack.command("weekly off")
    h.api.wait_for("response_url")
    h.slack.action("weekly_snooze", button(prompt, "weekly_snooze"), container=container)
    assert h.api.wait_for("chat.update")[0]["text"].startswith("Weekly prompts are off, so there is nothing to snooze")


def test_the_scheduler_housekeeping_freezes_the_closed_quarters_of_the_cohort_trends(
        exercise_harness: SlackHarness) -> None:
    from bot.coaching.assessments import submit_assessment
    from bot.slack.weekly import housekeep

    coaching = exercise_harness.services.coaching
    assert coaching is not None
    last_quarter = datetime.now(UTC) - timedelta(days=100)
    for i in range(5):
        submit_assessment(coaching.db.uow(), f"slack:T1:U{i}", {"listening": 3}, now=last_quarter)
    housekeep(coaching)
    with coaching.db.uow() as uow:
        assert uow.trends.published_labels([f"{last_quarter.year}-Q{(last_quarter.month - 1) // 3 + 1}"])
