"""The weekly prompt: a DM with Start now / Skip this week / Snooze a day."""

from __future__ import annotations

import json

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


def settled(text: str) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]


def status_text(active: bool, weekday: int | None = None, local_time: str | None = None,
                timezone: str | None = None) -> str:
    if not active:
        return ("Weekly prompts are off. Turn them on with `/coach weekly on [day] [time]`, "
                "e.g. `/coach weekly on monday 09:00`.")
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    day = days[weekday] if weekday is not None else "?"
    return f"Weekly prompts are on: {day}s at {local_time} ({timezone}). `/coach weekly off` stops them."
