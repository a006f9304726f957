"""What a `coach serve` worker acknowledged is done even if the worker is SIGKILLed before doing it: another
worker does it, once. Real processes on one database, signed requests, the fake Slack Web API."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.coaching.attributes import attributes
from bot.storage import Database
from bot.storage.orm import InboxRow, SubmissionRow
from bot.storage.repositories.inbox import stored_key
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.processes import ServeProcess
from tests.slack.signed import SlackSender
from tests.slack.test_asking import dm
from tests.slack.test_assessment import submitted_view

pytestmark = pytest.mark.slow
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


def finished(database: Database, key: str, timeout: float = 120) -> dict[str, Any]:
    """The delivery's inbox row once its work is over (done or given up): no run of it can start after that."""
    deadline = time.monotonic() + timeout
    while True:
        with database.engine.connect() as connection:
            row = connection.execute(select(InboxRow.__table__).where(InboxRow.key == stored_key(key))).first()
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
