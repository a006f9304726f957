"""Asking the coach in Slack: DMs, mentions and /coach ask, end to end over HTTP."""

from __future__ import annotations

from tests.slack.conftest import SlackHarness
from tests.slack.fake_slack_api import FakeSlackAPI


def dm(text: str, ts: str = "1700000100.000100", thread_ts: str | None = None, user: str = "U1") -> dict:
    event = {"type": "message", "channel": "D1", "channel_type": "im", "user": user, "text": text, "ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def streamed_text(api: FakeSlackAPI) -> str:
    chunks = [c for call in api.called("chat.startStream") + api.called("chat.appendStream")
              + api.called("chat.stopStream") for c in call.get("chunks") or []]
    return "".join(c.get("text", "") for c in chunks)


def test_dm_question_is_streamed_into_its_thread_with_sources_and_feedback(harness: SlackHarness) -> None:
    reply = harness.slack.event(dm("How do I lead without authority?"))
    assert reply.status == 200
    stop = harness.api.wait_for("chat.stopStream")[0]
    start = harness.api.called("chat.startStream")[0]
    assert (start["channel"], start["thread_ts"], start["recipient_user_id"]) == ("D1", "1700000100.000100", "U1")
    assert "lead through influence, not control. [1]" in streamed_text(harness.api)
    blocks = stop["blocks"]
    assert any("Tizard (2010), ¶4" in b.get("text", {}).get("text", "") for b in blocks)
    feedback = blocks[-1]
    assert feedback["type"] == "context_actions" and feedback["elements"][0]["type"] == "feedback_buttons"
    assert harness.api.called("assistant.threads.setStatus")[0]["status"] == "is reading the guidance…"


def test_mention_is_answered_in_a_thread_under_it(harness: SlackHarness) -> None:
    harness.slack.event({"type": "app_mention", "channel": "C9", "user": "U2", "ts": "1700000200.000100",
                         "text": "<@UBOT> what makes a partnership add value?"})
    harness.api.wait_for("chat.stopStream")
    start = harness.api.called("chat.startStream")[0]
    assert (start["channel"], start["thread_ts"]) == ("C9", "1700000200.000100")
    assert harness.answerer.questions == ["what makes a partnership add value?"]


def test_channel_broadcast_in_a_question_is_not_echoed_as_a_ping(harness: SlackHarness) -> None:
    harness.slack.event(dm("<!channel> @here what about <@U999>?"))
    harness.api.wait_for("chat.stopStream")
    text = streamed_text(harness.api)
    assert "&lt;!channel&gt;" in text
    for ping in ("<!channel>", "<!here>", "<@U999>", "@here"):
        assert ping not in text


def test_streaming_unavailable_falls_back_to_a_posted_answer(harness: SlackHarness) -> None:
    harness.api.fail("chat.startStream", "method_not_supported_for_channel_type")
    harness.slack.event(dm("How do I share leadership?"))
    posted = harness.api.wait_for("chat.postMessage")[0]
    texts = [b.get("text", {}).get("text", "") for b in posted["blocks"]]
    assert any("lead through influence" in t for t in texts)
    assert posted["thread_ts"] == "1700000100.000100"


def test_slash_ask_answers_in_the_users_dm(harness: SlackHarness) -> None:
    reply = harness.slack.command("ask how do I build trust?")
    assert reply.status == 200 and "DM" in reply.body
    harness.api.wait_for("chat.stopStream")
    question = harness.api.called("chat.postMessage")[0]
    assert question["channel"] == "D1" and "how do I build trust?" in question["text"]
    assert harness.api.called("chat.startStream")[0]["channel"] == "D1"


def test_a_follow_up_goes_to_the_answerer_as_typed_in_its_threads_conversation(harness: SlackHarness) -> None:
    # The answerer keeps the memory (keyed by thread and person); Slack only says which thread and person.
    harness.slack.event(dm("What makes a partnership add value?", ts="1700000700.000100"))
    harness.api.wait_for("chat.stopStream")
    harness.slack.event(dm("And how would I measure it?", ts="1700000701.000100", thread_ts="1700000700.000100"))
    harness.api.wait_for("chat.stopStream", count=2)
    first, follow_up = harness.answerer.asked
    assert follow_up == ("And how would I measure it?", first[1], first[2])
    assert first[1] == "slack:D1:1700000700.000100" and first[2] is not None and first[2].endswith("U1")
    assert harness.api.called("chat.startStream")[1]["thread_ts"] == "1700000700.000100"


def test_a_new_dm_thread_starts_a_fresh_conversation(harness: SlackHarness) -> None:
    harness.slack.event(dm("What makes a partnership add value?", ts="1700000800.000100"))
    harness.api.wait_for("chat.stopStream")
    harness.slack.event(dm("And how would I measure it?", ts="1700000900.000100"))
    harness.api.wait_for("chat.stopStream", count=2)
    assert [conversation for _, conversation, _ in harness.answerer.asked] == [
        "slack:D1:1700000800.000100", "slack:D1:1700000900.000100"]
