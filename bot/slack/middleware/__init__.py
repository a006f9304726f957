"""App-wide middleware: messages from bots and non-person message subtypes are dropped before any listener."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.middleware.ignore_bots import ignore_bot_messages
from bot.slack.middleware.observe import observe_request
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.middleware(observe_request)
    app.middleware(ignore_bot_messages)
