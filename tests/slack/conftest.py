"""The real Bolt app served over HTTP on 127.0.0.1, talking to a local fake Slack Web API."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
import yaml

from bot.coaching.attributes import attributes
from bot.coaching.exercises import load_exercises
from bot.config import Settings
from bot.slack.app import build_app
from bot.slack.server import EVENTS_PATH, asgi_app
from bot.slack.services import SlackServices
from bot.slack.wiring import database_services
from bot.storage import Database, connect
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.fakes import EchoAnswerer
from tests.slack.signed import SlackSender
from tests.storage.databases import BACKENDS, make_database_url

SIGNING_SECRET = "test-signing-secret"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    fake = FakeSlackAPI().start()
    yield fake
    fake.stop()


def slack_settings(fake: FakeSlackAPI, **overrides: object) -> Settings:
    values: dict[str, object] = {"slack_bot_token": "xoxb-test", "slack_signing_secret": SIGNING_SECRET,
                                 "slack_api_url": fake.url, **overrides}
    return Settings(**values)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServedApp:
    """The app in a uvicorn server on a thread; `restart()` builds a fresh app on the same services."""

    def __init__(self, services: SlackServices, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self.port = free_port()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def start(self) -> ServedApp:
        config = uvicorn.Config(asgi_app(build_app(self.services, self.settings, transport="http")), host="127.0.0.1",
                                port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the app server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@dataclass
class SlackHarness:
    api: FakeSlackAPI
    app: ServedApp
    slack: SlackSender
    answerer: EchoAnswerer

    @property
    def services(self) -> SlackServices:
        return self.app.services


@pytest.fixture
def serve(fake_slack: FakeSlackAPI) -> Iterator[Callable[..., SlackHarness]]:
    """Start the app with the given services (an echo answerer by default)."""
    started: list[ServedApp] = []

    def start(services: SlackServices | None = None, **settings: object) -> SlackHarness:
        answerer = EchoAnswerer()
        services = services or SlackServices(answerer=answerer)
        answerer = services.answerer if isinstance(services.answerer, EchoAnswerer) else answerer
        served = ServedApp(services, slack_settings(fake_slack, **settings)).start()
        started.append(served)
        return SlackHarness(fake_slack, served, SlackSender(served.url, SIGNING_SECRET, fake_slack.response_url),
                            answerer)

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def harness(serve: Callable[..., SlackHarness]) -> SlackHarness:
    return serve()


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """SQLite always; PostgreSQL too when COACH_TEST_DATABASE_URL is set (a private schema per test)."""
    for url in make_database_url(request.param, tmp_path):
        db = connect(url)
        yield db
        db.close()


@pytest.fixture
def coached(database: Database, serve: Callable[..., SlackHarness], fake_slack: FakeSlackAPI) -> SlackHarness:
    """The app with the coaching core on a real database (SQLite), and an echo answerer.

    `database` comes first so that it is torn down last: the app stops before its schema is dropped."""
    answerer = EchoAnswerer()
    services = database_services(database, answerer, slack_settings(fake_slack))
    harness = serve(services)
    harness.answerer = answerer
    return harness


def eventually(check: Callable[[], object], timeout: float = 30.0) -> object:
    """The first truthy result of `check`, polled while the app works after its ack."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


@pytest.fixture
def exercise_harness(coached: SlackHarness, tmp_path: Path) -> SlackHarness:
    ids = attributes().ids
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "mapping-influence.yaml").write_text(yaml.safe_dump({
        "id": "mapping-influence", "title": "Mapping your influence", "summary": "Where do you lead without control?",
        "attributes": ids[:2],
        "passages": [{"source": "tizard-leading-questions-2010", "quote": "leadership"}],
        "steps": [
            {"id": "where", "prompt": "Name a partner you cannot instruct.", "kind": "text"},
            {"id": "how-well", "prompt": "How well do you influence them?", "kind": "rating",
             "scale_labels": {1: "barely", 5: "very well"}},
            {"id": "next", "prompt": "What will you try next?", "kind": "text"},
        ],
        "feedback": "You finished {title}.",
    }), encoding="utf-8")
    coached.services.coaching.library = load_exercises(folder)  # type: ignore[union-attr]
    return coached
