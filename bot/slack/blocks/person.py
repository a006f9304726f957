"""The "I'd like to talk to a person" button: on exercise steps, safeguarding replies and the Home tab.

A click sends the person who to contact (the COACH_SUPPORT_* settings); nothing of the conversation goes
anywhere (see bot.slack.listeners.actions.talk_to_person)."""

from __future__ import annotations

TALK_TO_PERSON = "talk_to_person"
LABEL = "I'd like to talk to a person"


def talk_button() -> dict:
    return {"type": "button", "action_id": TALK_TO_PERSON, "text": {"type": "plain_text", "text": LABEL},
            "value": "person"}


def handoff_blocks(text: str) -> list[dict]:
    """A safeguarding reply (already escaped) with the button under it."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}},
            {"type": "actions", "block_id": "talk_to_person", "elements": [talk_button()]}]
