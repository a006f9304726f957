"""The agent messaging experience as Slack documents it: loading messages under the status, a new thread in
the Messages tab named after its question, streamed markdown within Slack's 12,000-character limit per call,
and the context-changed event acknowledged without keeping where the person is in Slack."""

from __future__ import annotations

from collections.abc import Callable

from bot.slack.services import SlackServices
from tests.slack.conftest import SlackHarness
from tests.slack.fakes import StreamingAnswerer
from tests.slack.test_asking import dm, streamed_text


def test_the_status_comes_with_loading_messages(harness: SlackHarness) -> None:
    harness.slack.event(dm("How do I lead without authority?"))
    harness.api.wait_for("chat.stopStream")
    status = harness.api.called("assistant.threads.setStatus")[0]
    assert status["status"] == "is reading the guidance…"
    assert len(status["loading_messages"]) >= 2 and all(status["loading_messages"])


def test_the_posted_answer_clears_the_status_without_another_call(harness: SlackHarness) -> None:
    # Slack clears an assistant thread's status when the app replies (assistant.threads.setStatus, usage info).
    harness.slack.event(dm("How do I lead without authority?"))
    harness.api.wait_for("chat.stopStream")
    harness.slack.event(dm("And how do I build trust?", ts="1700000200.000100"))
    harness.api.wait_for("chat.stopStream", count=2)
    assert [s["status"] for s in harness.api.called("assistant.threads.setStatus")] == ["is reading the guidance…"] * 2


def test_a_new_conversation_is_titled_after_its_question_and_a_follow_up_keeps_the_title(
        harness: SlackHarness) -> None:
    question = "How do I lead partners I have no authority over, when the biggest one keeps setting the agenda?"
    harness.slack.event(dm(question, ts="1700000100.000100"))
    harness.api.wait_for("chat.stopStream")
    [title] = harness.api.called("assistant.threads.setTitle")
    assert (title["channel_id"], title["thread_ts"]) == ("D1", "1700000100.000100")
    assert question.startswith(title["title"].removesuffix("…")) and len(title["title"]) <= 60
    harness.slack.event(dm("And with the NHS?", ts="1700000200.000100", thread_ts="1700000100.000100"))
    harness.api.wait_for("chat.stopStream", count=2)
    assert len(harness.api.called("assistant.threads.setTitle")) == 1


def test_a_long_streamed_answer_is_sent_in_pieces_slack_accepts_and_arrives_whole(
        serve: Callable[..., SlackHarness]) -> None:
    words = " ".join(f"word{i}" for i in range(6000))  # ~53,000 characters, in one delta
    h = serve(SlackServices(answerer=StreamingAnswerer([words])))
    h.slack.event(dm("Tell me everything"))
    h.api.wait_for("chat.stopStream")
    sent = [c.get("text", "") for call in h.api.called("chat.startStream") + h.api.called("chat.appendStream")
            + h.api.called("chat.stopStream") for c in call.get("chunks") or []]
    sent += [str(call.get("markdown_text") or "") for call in h.api.called("chat.appendStream")]
    assert max(len(text) for text in sent) <= 12_000
    assert streamed_text(h.api).startswith(words)


def test_the_context_changed_event_is_acknowledged_and_nothing_is_called_or_kept(harness: SlackHarness) -> None:
    reply = harness.slack.event({"type": "assistant_thread_context_changed", "assistant_thread": {
        "user_id": "U1", "channel_id": "D1", "thread_ts": "1.2",
        "context": {"channel_id": "C5", "team_id": "T1", "enterprise_id": None}}})
    assert reply.status == 200
    harness.slack.event(dm("after the move"))  # something the app does answer, to know it has caught up
    harness.api.wait_for("chat.stopStream")
    assert "C5" not in repr([c.args for c in harness.api.calls])
