"""`coach serve` as two real processes on one database, answering with the real offline answerer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.processes import ServeProcess
from tests.slack.signed import SlackSender
from tests.slack.test_asking import dm, streamed_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api() -> Iterator[FakeSlackAPI]:
    fake = FakeSlackAPI().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def two_workers(api: FakeSlackAPI, guidance_index: Path, tmp_path_factory: pytest.TempPathFactory,
                ) -> Iterator[tuple[ServeProcess, ServeProcess]]:
    root = tmp_path_factory.mktemp("served")
    database_url = f"sqlite:///{root / 'coach.db'}"
    workers = [ServeProcess(api, guidance_index, database_url, root / f"worker{i}.log") for i in (1, 2)]
    try:
        for worker in workers:
            worker.wait_ready()
        yield workers[0], workers[1]
    finally:
        for worker in workers:
            worker.stop()


@pytest.fixture
def fresh_api(api: FakeSlackAPI) -> FakeSlackAPI:
    api.reset()
    return api


def test_served_app_answers_a_dm_from_the_guidance_with_sources(
        two_workers: tuple[ServeProcess, ServeProcess], fresh_api: FakeSlackAPI) -> None:
    first, _ = two_workers
    reply = SlackSender(first.url, SIGNING_SECRET).event(dm("How do I stop our LSP being seen as just the "
                                                             "council's show?"))
    assert reply.status == 200
    stop = fresh_api.wait_for("chat.stopStream", timeout=60)[0]
    assert "[1]" in streamed_text(fresh_api)
    sources = [b["text"]["text"] for b in stop["blocks"] if b["type"] == "section"]
    assert sources and all(s.startswith("*[") for s in sources)


def test_a_retry_delivered_to_the_other_worker_is_handled_once(
        two_workers: tuple[ServeProcess, ServeProcess], fresh_api: FakeSlackAPI) -> None:
    first, second = two_workers
    event = dm("What does accountability mean in a partnership?", ts="1700001000.000100")
    assert SlackSender(first.url, SIGNING_SECRET).event(event, event_id="EvTWOWORKERS").status == 200
    assert SlackSender(second.url, SIGNING_SECRET).event(event, event_id="EvTWOWORKERS", retry_num=1).status == 200
    fresh_api.wait_for("chat.stopStream", timeout=60)
    # A later, different event proves the second worker is live: only then count the answers.
    SlackSender(second.url, SIGNING_SECRET).event(dm("What is shared vision?", ts="1700001001.000100"))
    fresh_api.wait_for("chat.stopStream", count=2, timeout=60)
    threads = [c["thread_ts"] for c in fresh_api.called("chat.startStream")]
    assert sorted(threads) == ["1700001000.000100", "1700001001.000100"]



def test_serve_on_an_empty_data_directory_builds_the_index_and_answers(
        fresh_api: FakeSlackAPI, tmp_path: Path) -> None:
    data = tmp_path / "empty-data"
    data.mkdir()
    worker = ServeProcess(fresh_api, data, f"sqlite:///{tmp_path / 'coach.db'}", tmp_path / "serve.log")
    try:
        worker.wait_ready(timeout=300)  # a fresh container: no index yet, so it is built before serving
        assert (data / "index" / "index.json").exists()
        SlackSender(worker.url, SIGNING_SECRET).event(dm("How do I build trust with partners?",
                                                         ts="1700001100.000100"))
        fresh_api.wait_for("chat.stopStream", timeout=120)
        assert "[1]" in streamed_text(fresh_api)
    finally:
        worker.stop()
