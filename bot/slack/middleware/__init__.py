"""App-wide middleware: messages from bots and non-person message subtypes are dropped before any listener, and a
person's rows under earlier ids are moved to their one id before any listener reads them."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.middleware.canonical_ids import canonical_ids
from bot.slack.middleware.ignore_bots import ignore_bot_messages
from bot.slack.middleware.observe import observe_request
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.middleware(observe_request)
    app.middleware(ignore_bot_messages)
    app.middleware(canonical_ids(services))
