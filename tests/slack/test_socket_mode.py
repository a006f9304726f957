"""Socket Mode: the real Bolt handler connects to a local websocket server and answers an event from it."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator

import pytest
from websockets.sync.server import ServerConnection, serve

from bot.slack.app import build_app
from bot.slack.server import socket_mode_handler
from bot.slack.services import SlackServices
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.fakes import EchoAnswerer
from tests.slack.test_asking import dm

ENVELOPE = {
    "envelope_id": "env-1",
    "type": "events_api",
    "accepts_response_payload": False,
    "retry_attempt": 0,
    "payload": {"type": "event_callback", "event_id": "EvSOCK1", "team_id": "T1", "api_app_id": "A1",
                "event": dm("How do I lead over a socket?")},
}


@pytest.fixture
def socket_server() -> Iterator[tuple[str, queue.Queue[str]]]:
    acks: queue.Queue[str] = queue.Queue()

    def session(connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        connection.send(json.dumps(ENVELOPE))
        for message in connection:
            acks.put(str(message))

    with serve(session, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        host, port = server.socket.getsockname()[:2]
        yield f"ws://{host}:{port}/link", acks
        server.shutdown()


def test_socket_mode_handler_acks_the_envelope_and_answers(fake_slack: FakeSlackAPI,
                                                           socket_server: tuple[str, queue.Queue[str]]) -> None:
    url, acks = socket_server
    fake_slack.socket_url = url
    answerer = EchoAnswerer()
    settings = slack_settings(fake_slack, slack_app_token="xapp-test", slack_signing_secret=None)
    app = build_app(SlackServices(answerer=answerer), settings, transport="socket")
    handler = socket_mode_handler(app, "xapp-test")
    handler.connect()
    try:
        assert json.loads(acks.get(timeout=20))["envelope_id"] == "env-1"
        fake_slack.wait_for("chat.stopStream")
        assert answerer.questions == ["How do I lead over a socket?"]
        assert fake_slack.called("apps.connections.open")
    finally:
        handler.close()
