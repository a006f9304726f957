"""App-wide middleware: drop retried deliveries and messages from bots before any listener runs."""

from __future__ import annotations

from functools import partial

from slack_bolt import App

from bot.slack.middleware.dedup import drop_duplicate_events
from bot.slack.middleware.ignore_bots import ignore_bot_messages
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.middleware(ignore_bot_messages)
    app.middleware(partial(drop_duplicate_events, services))
