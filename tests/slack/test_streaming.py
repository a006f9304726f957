"""Streaming answerers: deltas go out as they come, escaped even when a mention is split across deltas."""

from __future__ import annotations

from collections.abc import Callable

from bot.slack.services import SlackServices
from tests.slack.conftest import SlackHarness
from tests.slack.fakes import StreamingAnswerer
from tests.slack.test_asking import dm, streamed_text


def test_deltas_are_streamed_and_a_split_broadcast_is_still_escaped(serve: Callable[..., SlackHarness]) -> None:
    deltas = ["Lead by ", "influence, ", "tell @chan", "nel nothing ", "<!ev", "eryone> [1]"]
    h = serve(SlackServices(answerer=StreamingAnswerer(deltas)))
    h.slack.event(dm("How do I lead?"))
    stop = h.api.wait_for("chat.stopStream")[0]
    text = streamed_text(h.api)
    assert text == "Lead by influence, tell @\u200bchannel nothing &lt;!everyone&gt; [1]"
    assert any("Tizard (2010)" in b.get("text", {}).get("text", "") for b in stop["blocks"])
    assert h.api.called("chat.update") == []


def test_a_final_answer_that_differs_from_the_stream_replaces_it(serve: Callable[..., SlackHarness]) -> None:
    h = serve(SlackServices(answerer=StreamingAnswerer(["Partners trust you [7]. "], final_text="Partners trust you.")))
    h.slack.event(dm("How do I lead?"))
    update = h.api.wait_for("chat.update")[0]
    assert update["blocks"][0]["text"]["text"] == "Partners trust you."


def test_conversational_answerer_gets_the_thread_as_its_conversation(serve: Callable[..., SlackHarness]) -> None:
    answerer = StreamingAnswerer(["Trust grows slowly. [1]"])
    h = serve(SlackServices(answerer=answerer))
    h.slack.event(dm("What about the NHS?", ts="1700006001.000100", thread_ts="1700006000.000100"))
    h.api.wait_for("chat.stopStream")
    assert answerer.calls == [("What about the NHS?", "slack:D1:1700006000.000100", "slack:T1:U1")]
