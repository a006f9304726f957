"""Slack's platform rules: signatures, retries, bots, malformed bodies, Web API errors."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from functools import partial

import pytest

from bot.answering.answer import Answer
from bot.slack.services import SlackServices
from tests.slack.conftest import SlackHarness
from tests.slack.fakes import EchoAnswerer
from tests.slack.signed import Reply
from tests.slack.test_asking import dm


def test_unsigned_request_is_refused(harness: SlackHarness) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": dm("hello")})
    reply = harness.slack.post(body, "application/json", signed=False)
    assert reply.status == 401
    assert harness.api.called("chat.startStream") == []


def test_stale_signature_is_refused(harness: SlackHarness) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": dm("hello")})
    reply = harness.slack.post(body, "application/json", timestamp=int(time.time()) - 60 * 10)
    assert reply.status == 401


def test_signature_for_another_body_is_refused(harness: SlackHarness) -> None:
    harness.slack.secret = "not-the-secret"
    assert harness.slack.command("help").status == 401


@pytest.mark.parametrize(("body", "content_type"), [
    ("{not json", "application/json"),
    ("[1, 2]", "application/json"),
    ("", "application/json"),
    ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
    ("no-equals-sign&x", "application/x-www-form-urlencoded"),
    ("payload=" + json.dumps({"type": "view_submission", "user": {"id": "U1"}, "view": {"id": "V1"}}),
     "application/x-www-form-urlencoded"),
])
def test_malformed_body_gets_a_4xx_not_a_500(harness: SlackHarness, body: str, content_type: str) -> None:
    reply = harness.slack.post(body, content_type)
    assert 400 <= reply.status < 500


def test_retried_event_is_handled_once(harness: SlackHarness) -> None:
    first = harness.slack.event(dm("How do I lead?"), event_id="EvRETRY1")
    again = harness.slack.event(dm("How do I lead?"), event_id="EvRETRY1", retry_num=1)
    assert (first.status, again.status) == (200, 200)
    harness.api.wait_for("chat.stopStream")
    harness.slack.event(dm("A different question", ts="1700000300.000100"), event_id="EvOTHER")
    harness.api.wait_for("chat.stopStream", count=2)
    assert harness.answerer.questions == ["How do I lead?", "A different question"]


@pytest.mark.parametrize("event", [
    {"bot_id": "BOTHER", "subtype": "bot_message"},
    {"bot_id": "BBOT"},
    {"subtype": "message_changed"},
])
def test_messages_from_bots_and_edits_are_ignored(harness: SlackHarness, event: dict) -> None:
    assert harness.slack.event({**dm("echo echo"), **event}).status == 200
    harness.slack.event(dm("a real question", ts="1700000400.000100"))
    harness.api.wait_for("chat.stopStream")
    assert harness.answerer.questions == ["a real question"]


def test_not_in_channel_is_logged_not_a_crash(harness: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    harness.api.fail("chat.startStream", "not_in_channel")
    harness.api.fail("chat.postMessage", "not_in_channel")
    harness.slack.event({"type": "app_mention", "channel": "C5", "user": "U2", "ts": "1700000500.000100",
                         "text": "<@UBOT> hi there, how do partnerships work?"})
    harness.api.wait_for("chat.postMessage")
    # The app keeps serving.
    harness.slack.event(dm("still there?", ts="1700000600.000100"))
    harness.api.wait_for("chat.stopStream")


def test_rate_limited_call_is_retried_after_retry_after(harness: SlackHarness) -> None:
    harness.api.rate_limit("chat.startStream", retry_after=1)
    harness.slack.event(dm("How do I lead?"))
    harness.api.wait_for("chat.stopStream")
    assert len(harness.api.exchanges("chat.startStream")) == 2  # the 429, then the retry


def test_unknown_subcommand_lists_help_without_echoing_a_ping(harness: SlackHarness) -> None:
    harness.slack.command("<!channel>")
    text = harness.api.wait_for("response_url")[0]["text"]
    assert "I don't know `&lt;!channel&gt;`" in text and "/coach assess" in text
    assert "<!channel>" not in text


class GatedAnswerer(EchoAnswerer):
    """Work after the ack that hangs (a model that does not answer, say) until the gate opens."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def answer(self, question: str, conversation_id: str | None = None, *, user_id: str | None = None) -> Answer:
        self.gate.wait(60)
        return super().answer(question, conversation_id, user_id=user_id)


def test_acks_do_not_wait_for_the_work_already_queued(serve: Callable[..., SlackHarness]) -> None:
    answerer = GatedAnswerer()
    h = serve(SlackServices(answerer=answerer))
    acks: list[tuple[int, float]] = []

    def timed(send: Callable[[], Reply]) -> None:
        start = time.monotonic()
        reply = send()
        acks.append((reply.status, time.monotonic() - start))

    def at_once(sends: list[Callable[[], Reply]]) -> None:
        threads = [threading.Thread(target=timed, args=(send,)) for send in sends]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # More questions than listener threads: each thread is stuck in its answer, after its event's ack...
    at_once([partial(h.slack.event, dm(f"question {i}", ts=f"1700000{i:03d}.000100")) for i in range(4)])
    # ...and commands and clicks arriving now are still acknowledged at once, not queued behind that work.
    at_once([partial(h.slack.command, "help") for _ in range(3)] + [partial(
        h.slack.action, "answer_feedback", "D1|1700000000.000100") for _ in range(2)])
    assert [status for status, _ in acks] == [200] * 9
    assert max(elapsed for _, elapsed in acks) < 1.0  # Slack allows 3 s
    answerer.gate.set()
    h.api.wait_for("chat.stopStream", count=4)
    h.api.wait_for("response_url", count=3)
    assert sorted(h.answerer.questions) == [f"question {i}" for i in range(4)]
