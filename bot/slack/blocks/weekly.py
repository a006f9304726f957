"""The weekly prompt: a DM with Start now / Skip this week / Snooze a day."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.slack.blocks.commitments import FOLLOW_UP_BLOCK
from bot.slack.escaping import escape_for_slack

WEEKLY_START = "weekly_start"
WEEKLY_SKIP = "weekly_skip"
WEEKLY_SNOOZE = "weekly_snooze"


def weekly_prompt_blocks(text: str, exercise_id: str, iso_week: str, follow_up: list[dict] | None = None
                         ) -> list[dict]:
    """The prompt with its buttons; each button carries the exercise and the ISO week it is about. A commitment's
    follow-up (bot.slack.blocks.commitments.follow_up_blocks) opens it when there is one."""
    value = json.dumps({"exercise": exercise_id, "week": iso_week})
    return [*(follow_up or []),
        {"type": "section", "text": {"type": "mrkdwn", "text": escape_for_slack(text)}},
        {"type": "actions", "block_id": "weekly", "elements": [
            {"type": "button", "action_id": WEEKLY_START, "style": "primary", "value": value,
             "text": {"type": "plain_text", "text": "Start now"}},
            {"type": "button", "action_id": WEEKLY_SKIP, "value": value,
             "text": {"type": "plain_text", "text": "Skip this week"}},
            {"type": "button", "action_id": WEEKLY_SNOOZE, "value": value,
             "text": {"type": "plain_text", "text": "Snooze a day"}},
        ]},
    ]


def prompt_ref(value: str) -> tuple[str, str | None]:
    """(exercise id, ISO week) from a button's value; prompts posted before weeks were carried hold only the
    exercise id."""
    try:
        ref = json.loads(value)
    except ValueError:
        return value, None
    if not isinstance(ref, dict):
        return value, None
    return str(ref.get("exercise") or ""), (str(ref["week"]) if ref.get("week") else None)


def settled(text: str, shown: Sequence[dict] = ()) -> list[dict]:
    """The prompt once Start, Skip or Snooze was clicked: what happened, under the commitment follow-up it opened
    with (`shown`: the message's blocks as the click brought them). The follow-up stays as it was, with its
    buttons if it is still unanswered, or what was kept if it was answered first."""
    kept = [b for b in shown if str(b.get("block_id", "")).split(".")[0] == FOLLOW_UP_BLOCK]
    return [*kept, {"type": "section", "text": {"type": "mrkdwn", "text": text}}]


def status_text(active: bool, weekday: int | None = None, local_time: str | None = None,
                timezone: str | None = None) -> str:
    if not active:
        return ("Weekly prompts are off. Turn them on with `/coach weekly on [day] [time]`, "
                "e.g. `/coach weekly on monday 09:00`.")
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    day = days[weekday] if weekday is not None else "?"
    return f"Weekly prompts are on: {day}s at {local_time} ({timezone}). `/coach weekly off` stops them."
