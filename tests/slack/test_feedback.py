"""Feedback under answers: 👍 / 👎 in a context_actions block, one verdict per person per answer (changeable),
stored with the passages the answer cited; the DM answer shows the verdict; only a 👎 asks for a comment."""

from __future__ import annotations

import json

from bot.coaching.model import Feedback
from bot.slack.blocks.feedback import COMMENT_BLOCK, COMMENT_INPUT, NOTE_BLOCK, feedback_block, verdict_from
from tests.slack.conftest import SlackHarness, eventually
from tests.slack.test_asking import dm

ANSWER = "D1|1700002000.000100"


def feedback_of(h: SlackHarness) -> list[Feedback]:
    db = h.services.coaching.db  # type: ignore[union-attr]
    with db.uow() as uow:
        return uow.feedback.for_user("slack:T1:U1")


def asked(h: SlackHarness) -> tuple[dict, dict]:
    """A DM question answered: the feedback block, and the message it ends (as Slack would hand it back)."""
    h.slack.event(dm("How do I lead?", ts="1700002000.000100"))
    stop = h.api.wait_for("chat.stopStream")[0]
    block = next(b for b in stop["blocks"] if b["type"] == "context_actions")
    assert stop["blocks"][-1] is block or stop["blocks"][-1] == block  # the buttons end the answer
    return block, {"ts": stop["ts"], "text": "On 'How do I lead?'", "blocks": stop["blocks"]}


def comment(h: SlackHarness, modal: dict, text: str) -> None:
    view = {"id": "VFB1", "type": "modal", "callback_id": modal["callback_id"],
            "private_metadata": modal["private_metadata"],
            "state": {"values": {COMMENT_BLOCK: {COMMENT_INPUT: {"type": "plain_text_input", "value": text}}}}}
    assert h.slack.view_submission(view).status == 200


def test_a_thumbs_down_is_stored_with_the_answers_passages_and_asks_what_was_missing(coached: SlackHarness) -> None:
    block, message = asked(coached)
    assert block["elements"][0]["type"] == "feedback_buttons"
    assert coached.slack.feedback(block, helpful=False, message=message).status == 200
    modal = coached.api.wait_for("views.open")[0]["view"]
    comment(coached, modal, "Too short")
    eventually(lambda: feedback_of(coached) and feedback_of(coached)[0].comment)
    [verdict] = feedback_of(coached)
    assert (verdict.answer_id, verdict.helpful, verdict.comment, verdict.passages) == (ANSWER, False, "Too short",
                                                                                       ("c1",))


def test_changing_ones_mind_keeps_one_verdict_and_a_thumbs_up_asks_nothing(coached: SlackHarness) -> None:
    block, message = asked(coached)
    coached.slack.feedback(block, helpful=False, message=message)
    coached.api.wait_for("views.open")
    eventually(lambda: feedback_of(coached))
    coached.slack.feedback(block, helpful=True, message=message)
    eventually(lambda: [f for f in feedback_of(coached) if f.helpful])
    assert [(f.answer_id, f.helpful) for f in feedback_of(coached)] == [(ANSWER, True)]
    updates = coached.api.wait_for("chat.update", count=2)
    assert len(coached.api.called("views.open")) == 1  # only the 👎 opened the comment modal
    last = updates[-1]
    notes = [b for b in last["blocks"] if b.get("block_id") == NOTE_BLOCK]
    assert len(notes) == 1 and "helpful" in notes[0]["elements"][0]["text"]
    assert "unhelpful" not in notes[0]["elements"][0]["text"]
    # The answer's own text and sources stay; the buttons stay for another change of mind, renamed as Slack asks.
    assert [b["type"] for b in last["blocks"] if b.get("block_id") != NOTE_BLOCK] == \
        [b["type"] for b in message["blocks"]]
    assert {b["block_id"] for b in last["blocks"] if b["type"] == "context_actions"} != {block["block_id"]}


def test_in_a_channel_only_the_person_is_told_of_their_verdict(coached: SlackHarness) -> None:
    block = feedback_block("C9|1700000200.000100", ["c1"])
    coached.slack.feedback(block, helpful=True, channel="C9",
                           message={"ts": "1700000300.000100", "thread_ts": "1700000200.000100", "blocks": [block]})
    told = coached.api.wait_for("chat.postEphemeral")[0]
    assert (told["channel"], told["user"]) == ("C9", "U1")
    assert coached.api.called("chat.update") == []  # others see the answer: no verdict is shown on it


def test_a_value_this_app_did_not_make_is_ignored(coached: SlackHarness) -> None:
    block = feedback_block(ANSWER, ["c1"])
    block["elements"][0]["negative_button"]["value"] = "not json"
    assert coached.slack.feedback(block, helpful=False).status == 200
    block["elements"][0]["negative_button"]["value"] = json.dumps({"a": ANSWER, "h": "no"})
    assert coached.slack.feedback(block, helpful=False).status == 200
    coached.slack.feedback(feedback_block("D1|2", []), helpful=True)  # a real click after them
    eventually(lambda: feedback_of(coached))
    assert [(f.answer_id, f.helpful) for f in feedback_of(coached)] == [("D1|2", True)]


def test_a_button_value_stays_within_slacks_limit_dropping_passages_not_the_verdict() -> None:
    block = feedback_block(ANSWER, [f"source-{i}:abcdef123456:{i}" for i in range(200)])
    for key in ("positive_button", "negative_button"):
        value = block["elements"][0][key]["value"]
        assert len(value) <= 2000
        verdict = verdict_from(value)
        assert verdict is not None and verdict.answer_id == ANSWER and verdict.helpful is (key == "positive_button")
        assert 0 < len(verdict.passages) < 200
