"""Only one worker runs the weekly scheduler at a time; when it dies another takes over on its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import Database
from bot.storage.lease import Lease
from tests.slack.fake_slack_api import FakeSlackAPI

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
TTL = timedelta(seconds=40)


def test_a_second_worker_is_refused_while_the_first_renews(database: Database) -> None:
    first, second = (Lease(database.engine, "weekly-scheduler", TTL, holder=h) for h in ("a", "b"))
    assert first.acquire(T0)
    assert not second.acquire(T0 + timedelta(seconds=1))
    assert first.acquire(T0 + timedelta(seconds=30))  # renewed: good until T0 + 70 s
    assert not second.acquire(T0 + timedelta(seconds=60))
    assert first.current_holder(T0 + timedelta(seconds=60)) == "a"


def test_an_expired_lease_is_taken_over_by_the_next_to_ask(database: Database) -> None:
    first, second = (Lease(database.engine, "weekly-scheduler", TTL, holder=h) for h in ("a", "b"))
    assert first.acquire(T0)
    assert second.acquire(T0 + TTL + timedelta(seconds=1))
    assert not first.acquire(T0 + TTL + timedelta(seconds=2)), "the old holder does not get it back by renewing"


def test_a_released_lease_is_free_at_once(database: Database) -> None:
    first, second = (Lease(database.engine, "weekly-scheduler", TTL, holder=h) for h in ("a", "b"))
    assert first.acquire(T0)
    first.release()
    assert second.acquire(T0 + timedelta(seconds=1))


def _wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_the_lease_moves_to_the_other_process_when_its_holder_is_killed(
        database: Database, fake_slack: FakeSlackAPI, tmp_path: Path) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    lease = Lease(database.engine, "weekly-scheduler", TTL, holder="observer")
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "SLACK_", "OPENAI_"))}
    env["COACH_DATA_DIR"] = str(tmp_path / "data")
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for log in logs:
            with log.open("wb") as out:
                workers.append(subprocess.Popen([sys.executable, "-m", "tests.deployment.scheduler_worker", url,
                                                 fake_slack.url], stdout=out, stderr=subprocess.STDOUT, env=env))
            if not workers[1:]:
                _wait_for(lambda: bool(lease.current_holder()), 120, "the first worker to take the lease")
        a, b = workers
        holder = lease.current_holder()
        assert holder is not None and f":{a.pid}:" in holder
        _wait_for(lambda: "worker started" in logs[1].read_text(), 120, "the second worker to start")
        for _ in range(10):  # ten of the second worker's ticks: it keeps asking and keeps being refused
            time.sleep(0.2)
            assert lease.current_holder() == holder
        a.send_signal(signal.SIGKILL)
        a.wait(timeout=10)
        _wait_for(lambda: f":{b.pid}:" in (lease.current_holder() or ""), 30, "the second worker to take over")
        assert "now runs the weekly scheduler" in logs[0].read_text()
        assert "now runs the weekly scheduler" in logs[1].read_text()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
