"""`coach serve --workers 2`: one scrape of /metrics counts what every worker process did, and only this start's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from bot.observability.metrics import MULTIPROC_ENV
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.processes import ServeProcess
from tests.slack.signed import SlackSender

pytestmark = pytest.mark.slow
HOME_ACKS = 'coach_slack_acks_total{type="event:app_home_opened"}'


def acks_on_page(page: str) -> float:
    return next(float(line.split()[-1]) for line in page.splitlines() if line.startswith(HOME_ACKS))


def acks_in_file(counter_file: Path, tmp_path: Path) -> float:
    """The acks one process wrote (its own counter file, read alone)."""
    scratch = Path(tempfile.mkdtemp(dir=tmp_path))
    shutil.copy(counter_file, scratch)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(scratch))
    samples = [s for m in registry.collect() for s in m.samples if s.name == "coach_slack_acks_total"]
    return sum(s.value for s in samples if s.labels == {"type": "event:app_home_opened"})


def test_one_scrape_counts_every_workers_acks_and_nothing_from_an_earlier_start(
        guidance_index: Path, tmp_path: Path) -> None:
    metrics_dir = tmp_path / "metrics"  # the operator's PROMETHEUS_MULTIPROC_DIR
    metrics_dir.mkdir()
    # An earlier start that was killed left its files here; counting them again would inflate every figure.
    subprocess.run([sys.executable, "-c", "from bot.observability.metrics import ACKS; "
                    "ACKS.labels(type='event:app_home_opened').inc(1000)"],
                   env={**os.environ, MULTIPROC_ENV: str(metrics_dir)}, check=True, timeout=120)
    left_before = sorted(metrics_dir.iterdir())
    api = FakeSlackAPI().start()
    server = ServeProcess(api, guidance_index, f"sqlite:///{tmp_path / 'coach.db'}", tmp_path / "serve.log",
                          env_overrides={MULTIPROC_ENV: str(metrics_dir)}, workers=2)
    try:
        server.wait_ready()
        sender = SlackSender(server.url, SIGNING_SECRET)
        sent = 0

        def acks_per_worker() -> list[float]:
            files = [f for f in metrics_dir.rglob("counter_*.db") if f not in left_before]
            return [acks_in_file(f, tmp_path) for f in files]

        with ThreadPoolExecutor(max_workers=8) as pool:
            # Concurrent deliveries on fresh connections, until both workers have acknowledged some.
            while sent < 400 and sum(1 for n in acks_per_worker() if n > 0) < 2:
                replies = list(pool.map(lambda n: sender.event({"type": "app_home_opened", "user": f"U{n}",
                                                                "tab": "home"}), range(sent, sent + 16)))
                assert all(r.status == 200 for r in replies)
                sent += 16
        # (the supervising process has a file too, with no acks)
        assert sum(1 for n in acks_per_worker() if n > 0) == 2, "the deliveries all went to one worker"
        for _ in range(6):  # each scrape may be answered by either worker: every one counts all of them
            with urllib.request.urlopen(server.url.replace("/slack/events", "/metrics"), timeout=30) as response:
                assert acks_on_page(response.read().decode()) == sent
    finally:
        server.stop()
        api.stop()
    assert server.process.returncode == 0
    assert sorted(metrics_dir.iterdir()) == left_before, "this start's metric files are removed when it stops"
