"""What a `coach serve` worker acknowledged is done even if the worker is SIGKILLed before doing it: another
worker does it, once. Real processes on one database, signed requests, the fake Slack Web API."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.coaching.attributes import attributes
from bot.coaching.commitments import make_commitment
from bot.storage import Database
from bot.storage.orm import AuditRow, InboxRow, SubmissionRow, SubscriptionRow
from bot.storage.repositories.inbox import stored_key
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.processes import ServeProcess
from tests.slack.signed import SlackSender
from tests.slack.test_asking import dm
from tests.slack.test_assessment import submitted_view

pytestmark = pytest.mark.slow
PERSON = "slack:T1:U1"  # U1 of workspace T1, as the workers name the person who sent a delivery
LEASE = "2"  # seconds: a dead worker's deliveries are taken over this soon (production: 30)


@pytest.fixture
def workers(database: Database, fake_slack: FakeSlackAPI, guidance_index: Path,
            tmp_path: Path) -> Iterator[Callable[[int], list[ServeProcess]]]:
    started: list[ServeProcess] = []

    def start(count: int) -> list[ServeProcess]:
        url = database.engine.url.render_as_string(hide_password=False)
        new = [ServeProcess(fake_slack, guidance_index, url, tmp_path / f"worker{len(started) + n}.log",
                            {"COACH_INBOX_LEASE_SECONDS": LEASE}) for n in range(count)]
        started.extend(new)
        for worker in new:
            worker.wait_ready()
        return new

    yield start
    fake_slack.release()
    for worker in started:
        worker.stop()


def kill(worker: ServeProcess) -> None:
    worker.process.send_signal(signal.SIGKILL)
    worker.process.wait(timeout=10)


def finished(database: Database, key: str, timeout: float = 120, hashed: bool = False) -> dict[str, Any]:
    """The delivery's inbox row once its work is over (done or given up): no run of it can start after that."""
    deadline = time.monotonic() + timeout
    stored = key if hashed else stored_key(key)
    while True:
        with database.engine.connect() as connection:
            row = connection.execute(select(InboxRow.__table__).where(InboxRow.key == stored)).first()
        if row is not None and row.lease_until is None:
            return dict(row._mapping)
        if time.monotonic() > deadline:
            raise AssertionError(f"the delivery {key} was not finished")
        time.sleep(0.2)


def test_a_dm_acknowledged_by_a_worker_killed_before_answering_is_answered_once_by_another(
        workers: Callable[[int], list[ServeProcess]], fake_slack: FakeSlackAPI, database: Database) -> None:
    first, second = workers(2)
    question = dm("How do I build trust with the voluntary sector?", ts="1700002000.000100")
    fake_slack.hold("users.info")  # the first worker's work gets as far as asking who the person is...

    assert SlackSender(first.url, SIGNING_SECRET).event(question, event_id="EvKILLED").status == 200
    fake_slack.wait_until_held("users.info")
    kill(first)  # ...and dies there, acknowledged, unanswered
    # Slack's retry of the same event reaches the survivor while the delivery is still in the inbox.
    retry = SlackSender(second.url, SIGNING_SECRET).event(question, event_id="EvKILLED", retry_num=1)
    assert retry.status == 200

    assert finished(database, "event:EvKILLED")["outcome"] == "done"
    answers = [c for c in fake_slack.called("chat.startStream") if c["thread_ts"] == "1700002000.000100"]
    assert len(answers) == 1 and len(fake_slack.called("chat.stopStream")) == 1


def test_a_self_assessment_acknowledged_by_a_worker_killed_before_storing_it_is_stored_once_by_another(
        workers: Callable[[int], list[ServeProcess]], fake_slack: FakeSlackAPI, database: Database) -> None:
    first, _ = workers(2)
    view = submitted_view({attributes().ids[0]: 4, attributes().ids[1]: 2}, view_id="VKILLED")
    fake_slack.hold("users.info")

    assert SlackSender(first.url, SIGNING_SECRET).view_submission(view, user="U7").status == 200
    fake_slack.wait_until_held("users.info")
    kill(first)

    assert finished(database, "view:VKILLED")["outcome"] == "done"
    with database.uow() as uow:
        stored = uow.session.scalar(select(func.count()).select_from(SubmissionRow)
                                    .where(SubmissionRow.submission_key == "view:VKILLED"))
    assert stored == 1
    summaries = [c for c in fake_slack.called("chat.postMessage") if "saved" in str(c.get("text", "")).lower()]
    assert len(summaries) == 1


def test_a_delivery_whose_work_keeps_failing_is_given_up_after_three_runs_without_logging_its_text(
        workers: Callable[[int], list[ServeProcess]], fake_slack: FakeSlackAPI, database: Database) -> None:
    [worker] = workers(1)
    broken = {k: v for k, v in dm("a question about Mrs Example's team").items() if k != "channel"}  # KeyError

    assert SlackSender(worker.url, SIGNING_SECRET).event(broken, event_id="EvBROKEN").status == 200

    row = finished(database, "event:EvBROKEN")
    assert (row["outcome"], row["attempts"], row["payload"], row["user_id"]) == ("gave up", 3, None, None)
    log = worker.log_path.read_text()
    assert log.count("gave up on an inbox delivery") == 1
    assert "Mrs Example" not in log


def test_a_slash_command_acknowledged_by_a_worker_killed_mid_command_is_finished_once_by_another(
        workers: Callable[[int], list[ServeProcess]], fake_slack: FakeSlackAPI, database: Database) -> None:
    first, _ = workers(2)
    sender = SlackSender(first.url, SIGNING_SECRET, response_urls=fake_slack.response_url)
    fake_slack.hold("users.info")  # the first worker gets as far as asking who the person is...

    assert sender.command("weekly on tuesday 08:30").status == 200
    fake_slack.wait_until_held("users.info")
    kill(first)  # ...and dies there: acknowledged, nothing stored, nothing said

    [kept] = [k for k in _keys(database) if k["kind"] == "command:/coach"]
    assert finished(database, kept["key"], hashed=True)["outcome"] == "done"
    with database.engine.connect() as connection:
        subscriptions = connection.execute(select(SubscriptionRow.__table__)
                                           .where(SubscriptionRow.user_id == PERSON)).all()
    assert len(subscriptions) == 1 and subscriptions[0].active
    [reply] = fake_slack.called("response_url")  # said once, by the survivor
    assert reply["text"].startswith("Weekly prompts are on: Tuesdays at 08:30")


def test_a_form_command_whose_worker_died_before_the_form_opened_is_told_to_run_it_again(
        workers: Callable[[int], list[ServeProcess]], fake_slack: FakeSlackAPI, database: Database) -> None:
    first, _ = workers(2)
    sender = SlackSender(first.url, SIGNING_SECRET, response_urls=fake_slack.response_url)
    fake_slack.hold("views.open")

    assert sender.command("assess").status == 200
    fake_slack.wait_until_held("views.open")
    kill(first)  # the trigger id expires 3 s after the command: no other worker can open the form now

    [kept] = [k for k in _keys(database) if k["kind"] == "command:/coach"]
    assert finished(database, kept["key"], hashed=True)["outcome"] == "done"
    assert not fake_slack.called("views.open")
    [told] = fake_slack.called("response_url")
    assert "Please run `/coach assess` again" in told["text"]


def test_a_commitment_outcome_clicked_on_a_worker_killed_mid_click_is_recorded_once_by_another(
        workers: Callable[[int], list[ServeProcess]], fake_slack: FakeSlackAPI, database: Database) -> None:
    first, second = workers(2)
    made = make_commitment(database.uow(), PERSON, "Ring the district leads")
    assert made is not None
    message = {"ts": "1700000500.000100", "blocks": [{"type": "section", "block_id": "b",
                                                      "text": {"type": "mrkdwn", "text": "How did it go?"}}]}
    click = {"container": {"type": "message", "channel_id": "D1", "message_ts": message["ts"]}, "message": message}
    fake_slack.hold("chat.update")  # the outcome is stored; the message is being updated when...

    assert SlackSender(first.url, SIGNING_SECRET).action(
        "commitment_done", json.dumps({"commitment": made.id}), **click).status == 200
    fake_slack.wait_until_held("chat.update")
    kill(first)  # ...the worker dies
    # A double click reaches the survivor meanwhile: the same message and button, so a copy, dropped at its ack.
    assert SlackSender(second.url, SIGNING_SECRET).action(
        "commitment_done", json.dumps({"commitment": made.id}), **click).status == 200

    [kept] = [k for k in _keys(database) if k["kind"] == "block_actions"]
    assert finished(database, kept["key"], hashed=True)["outcome"] == "done"
    with database.uow() as uow:
        [commitment] = uow.commitments.for_user(PERSON)
        followed_up = uow.session.scalars(select(AuditRow.detail).where(
            AuditRow.subject == PERSON, AuditRow.action == "commitment_followed_up")).all()
    assert commitment.status == "done"
    assert followed_up == [f'{{"commitment": {made.id}, "outcome": "done"}}']  # recorded once, not once a run
    [updated] = fake_slack.called("chat.update")  # by the survivor (the first worker's call never finished)
    assert updated["ts"] == message["ts"] and "Well done" in json.dumps(updated["blocks"])


def _keys(database: Database) -> list[dict[str, Any]]:
    with database.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(select(InboxRow.key, InboxRow.kind))]
