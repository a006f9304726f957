"""The Home tab: a personal dashboard."""

from __future__ import annotations

from bot.slack.services import SlackServices

HELP_LINES = [
    "*Ask* a question here in Messages, mention me in a channel, or `/coach ask …`",
    "`/coach reflect`: a short reflective exercise",
    "`/coach assess`: rate yourself on the nine attributes of a partnership leader",
    "`/coach weekly on|off [day] [time]`: a weekly prompt",
    "`/coach my-data` (export) · `/coach forget-me` (erase)",
]


def home_view(services: SlackServices, user_id: str) -> dict:
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your partnership leadership coach"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(f"• {line}" for line in HELP_LINES)}},
    ]
    return {"type": "home", "blocks": blocks}
