"""The feedback comment modal."""

from __future__ import annotations

import json

COMMENT_VIEW = "feedback_comment"
COMMENT_BLOCK = "comment"
COMMENT_INPUT = "comment_input"


def comment_modal(answer_id: str, helpful: bool) -> dict:
    return {
        "type": "modal",
        "callback_id": COMMENT_VIEW,
        "private_metadata": json.dumps({"answer_id": answer_id, "helpful": helpful}),
        "title": {"type": "plain_text", "text": "Thanks for the feedback"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "blocks": [
            {
                "type": "input",
                "block_id": COMMENT_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "Anything to add? (optional)"},
                "element": {"type": "plain_text_input", "action_id": COMMENT_INPUT, "multiline": True,
                            "max_length": 2000},
            }
        ],
    }


def comment_from(view: dict) -> tuple[str, bool, str | None]:
    meta = json.loads(view.get("private_metadata") or "{}")
    value = view["state"]["values"].get(COMMENT_BLOCK, {}).get(COMMENT_INPUT, {}).get("value")
    return str(meta.get("answer_id", "")), bool(meta.get("helpful")), (value or "").strip() or None
