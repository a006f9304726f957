"""The weekly prompt: a DM with Start now / Skip this week / Snooze a day."""

from __future__ import annotations

from bot.answering.guards import escape_for_slack

WEEKLY_START = "weekly_start"
WEEKLY_SKIP = "weekly_skip"
WEEKLY_SNOOZE = "weekly_snooze"


def weekly_prompt_blocks(text: str, exercise_id: str) -> list[dict]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape_for_slack(text)}},
        {"type": "actions", "block_id": "weekly", "elements": [
            {"type": "button", "action_id": WEEKLY_START, "style": "primary", "value": exercise_id,
             "text": {"type": "plain_text", "text": "Start now"}},
            {"type": "button", "action_id": WEEKLY_SKIP, "value": exercise_id,
             "text": {"type": "plain_text", "text": "Skip this week"}},
            {"type": "button", "action_id": WEEKLY_SNOOZE, "value": exercise_id,
             "text": {"type": "plain_text", "text": "Snooze a day"}},
        ]},
    ]


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
