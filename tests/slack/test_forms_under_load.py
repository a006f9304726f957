"""Forms open while their trigger is valid (Slack expires it 3 s after the click), however many slow answers are
in flight: `views.open` never waits behind the listener threads that answers occupy."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from bot.answering.answer import Answer
from bot.slack.blocks.feedback import feedback_block
from bot.slack.services import SlackServices
from tests.slack.conftest import SlackHarness
from tests.slack.fakes import EchoAnswerer
from tests.slack.test_asking import dm


class HeldAnswerer(EchoAnswerer):
    """A slow model: every answer waits until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.in_flight = threading.Semaphore(0)

    def answer(self, question: str, conversation_id: str | None = None, *, user_id: str | None = None) -> Answer:
        self.in_flight.release()
        self.release.wait(60)
        return super().answer(question, conversation_id, user_id=user_id)


OPENERS: dict[str, Callable[[SlackHarness], object]] = {
    "/coach assess": lambda h: h.slack.command("assess"),
    "/coach forget-me": lambda h: h.slack.command("forget-me"),
    "Home: Rate myself": lambda h: h.slack.action("home_assess", ""),
    "Home: Erase my data": lambda h: h.slack.action("home_forget", ""),
    "👎 under an answer": lambda h: h.slack.feedback(feedback_block("D1|1700000000.000100", []), helpful=False),
}


@pytest.mark.parametrize("opener", list(OPENERS))
def test_a_form_opens_before_its_trigger_expires_while_slow_answers_hold_every_listener_thread(
        serve: Callable[..., SlackHarness], opener: str) -> None:
    answerer = HeldAnswerer()
    h = serve(SlackServices(answerer=answerer))
    held = 4  # more answers than the listener pool has threads
    for i in range(held):
        assert h.slack.event(dm(f"slow question {i}", ts=f"1700000{i:03d}.000100")).status == 200
    for _ in range(2):  # the pool's threads are all inside an answer now
        assert answerer.in_flight.acquire(timeout=30)
    try:
        assert OPENERS[opener](h).status == 200  # type: ignore[attr-defined]
        # The answers are still held: the form can only have opened on a path of its own.
        [(_, response)] = [(a, r) for a, r in _wait_exchanges(h, "views.open")]
        assert response["ok"] is True, response
        assert not h.api.called("chat.stopStream")
    finally:
        answerer.release.set()
    h.api.wait_for("chat.stopStream", count=held)


def test_a_form_whose_trigger_has_expired_is_refused_by_the_fake_as_by_slack(harness: SlackHarness) -> None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token="xoxb-test", base_url=harness.api.url)
    with pytest.raises(SlackApiError) as refused:
        client.views_open(trigger_id="1.1700000000000.abcdef", view={
            "type": "modal", "title": {"type": "plain_text", "text": "Late"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "too late"}}]})
    assert refused.value.response["error"] == "expired_trigger_id"


def _wait_exchanges(h: SlackHarness, method: str) -> list[tuple[dict, dict]]:
    h.api.wait_for(method, timeout=10)
    return h.api.exchanges(method)

