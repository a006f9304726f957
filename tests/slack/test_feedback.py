"""Feedback buttons under answers: the verdict is stored, the optional comment too."""

from __future__ import annotations

import json

from bot.slack.blocks.feedback import COMMENT_BLOCK, COMMENT_INPUT
from tests.slack.conftest import SlackHarness, eventually
from tests.slack.test_asking import dm


def test_feedback_verdict_and_comment_are_stored(coached: SlackHarness) -> None:
    coached.slack.event(dm("How do I lead?", ts="1700002000.000100"))
    stop = coached.api.wait_for("chat.stopStream")[0]
    button = next(b for b in stop["blocks"] if b["type"] == "actions")["elements"][1]
    assert coached.slack.action(button["action_id"], button["value"]).status == 200
    modal = coached.api.wait_for("views.open")[0]["view"]
    view = {"id": "VFB1", "type": "modal", "callback_id": modal["callback_id"],
            "private_metadata": modal["private_metadata"],
            "state": {"values": {COMMENT_BLOCK: {COMMENT_INPUT: {"type": "plain_text_input",
                                                                 "value": "Too short"}}}}}
    assert coached.slack.view_submission(view).status == 200
    db = coached.services.coaching.db  # type: ignore[union-attr]

    def stored() -> list:
        with db.uow() as uow:
            return uow.feedback.for_user("slack:T1:U1")

    eventually(lambda: len(stored()) == 2)  # the comment is stored after the ack
    stored_feedback = stored()
    assert [(f.answer_id, f.helpful, f.comment) for f in stored_feedback] == [
        ("D1|1700002000.000100", False, None), ("D1|1700002000.000100", False, "Too short")]
    assert json.loads(modal["private_metadata"])["helpful"] is False
