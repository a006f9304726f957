"""Your data: the erase confirmation modal and the messages around export and erasure."""

from __future__ import annotations

FORGET_VIEW = "forget_me_confirm"


def forget_me_modal() -> dict:
    return {
        "type": "modal",
        "callback_id": FORGET_VIEW,
        "title": {"type": "plain_text", "text": "Erase your data"},
        "submit": {"type": "plain_text", "text": "Erase everything"},
        "close": {"type": "plain_text", "text": "Keep my data"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": (
            "This permanently deletes everything the coach holds about you: self-assessments and notes, exercise "
            "answers, weekly prompt settings, feedback and conversation history. It cannot be undone.\n\n"
            "Want a copy first? Cancel and run `/coach my-data`.")}}],
    }


def erased_message(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if not total:
        return "There was nothing stored about you, so nothing was erased."
    lines = [f"• {table.replace('_', ' ')}: {n}" for table, n in sorted(counts.items()) if n]
    return f"Done: I erased {total} record(s) about you.\n" + "\n".join(lines)
