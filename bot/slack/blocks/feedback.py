"""Feedback on answers: the 👍 / 👎 buttons (a context_actions block), the note a click leaves, the comment modal.

Each button's value carries the answer's key and the chunk ids of the passages it cited (Slack hands the
clicked button's value back), so a verdict is stored with what the answer stood on, whatever process gets it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

COMMENT_VIEW = "feedback_comment"
COMMENT_BLOCK = "comment"
COMMENT_INPUT = "comment_input"
FEEDBACK_ACTION = "answer_feedback"
FEEDBACK_BLOCK = "feedback"
NOTE_BLOCK = "feedback_note"
VALUE_LIMIT = 2000  # Slack's limit on a feedback button's value


@dataclass(frozen=True)
class Verdict:
    answer_id: str
    helpful: bool
    passages: tuple[str, ...]


def feedback_block(answer_id: str, passages: Sequence[str], block_id: str = FEEDBACK_BLOCK) -> dict:
    return {"type": "context_actions", "block_id": block_id[:255], "elements": [{
        "type": "feedback_buttons", "action_id": FEEDBACK_ACTION,
        "positive_button": {"text": {"type": "plain_text", "text": "👍"}, "value": _value(answer_id, True, passages),
                            "accessibility_label": "This answer helped"},
        "negative_button": {"text": {"type": "plain_text", "text": "👎"}, "value": _value(answer_id, False, passages),
                            "accessibility_label": "This answer did not help"},
    }]}


def _value(answer_id: str, helpful: bool, passages: Sequence[str]) -> str:
    kept = list(dict.fromkeys(passages))
    while True:  # passages beyond the value's limit are left out, never the verdict or the answer
        value = json.dumps({"a": answer_id, "h": helpful, "p": kept}, separators=(",", ":"), ensure_ascii=False)
        if len(value) <= VALUE_LIMIT or not kept:
            return value[:VALUE_LIMIT]
        kept.pop()


def verdict_from(value: str) -> Verdict | None:
    """The verdict a clicked button's value carries; None for a value this app did not make."""
    try:
        data = json.loads(value)
        answer_id, helpful, passages = data["a"], data["h"], data.get("p", [])
    except (ValueError, TypeError, KeyError):
        return None
    if not (isinstance(answer_id, str) and answer_id and isinstance(helpful, bool) and isinstance(passages, list)
            and all(isinstance(p, str) for p in passages)):
        return None
    return Verdict(answer_id, helpful, tuple(passages))


def with_verdict_note(blocks: list[dict], helpful: bool, iteration: str) -> list[dict] | None:
    """The answer's blocks with a note of the person's verdict under the buttons (replacing an earlier note),
    the buttons' block renamed as Slack asks of an updated message; None if the buttons are not there."""
    kept = [b for b in blocks if b.get("block_id") != NOTE_BLOCK]
    at = next((i for i, b in enumerate(kept) if b.get("type") == "context_actions"), None)
    if at is None:
        return None
    buttons = {**kept[at], "block_id": f"{FEEDBACK_BLOCK}.{iteration}"[:255]}
    note = "You found this helpful. Thank you." if helpful else \
        "You found this unhelpful. Thank you: it helps improve the answers."
    note += " You can change your mind with the buttons."
    return [*kept[:at], buttons, {"type": "context", "block_id": NOTE_BLOCK, "elements": [
        {"type": "mrkdwn", "text": note}]}, *kept[at + 1:]]


def comment_modal(answer_id: str, helpful: bool) -> dict:
    return {
        "type": "modal",
        "callback_id": COMMENT_VIEW,
        "private_metadata": json.dumps({"answer_id": answer_id, "helpful": helpful}),
        "title": {"type": "plain_text", "text": "What was missing?"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "blocks": [
            {
                "type": "input",
                "block_id": COMMENT_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "What would have helped? (optional)"},
                "element": {"type": "plain_text_input", "action_id": COMMENT_INPUT, "multiline": True,
                            "max_length": 2000},
            }
        ],
    }


def comment_from(view: dict) -> tuple[str, bool, str | None]:
    meta = json.loads(view.get("private_metadata") or "{}")
    value = view["state"]["values"].get(COMMENT_BLOCK, {}).get(COMMENT_INPUT, {}).get("value")
    return str(meta.get("answer_id", "")), bool(meta.get("helpful")), (value or "").strip() or None
