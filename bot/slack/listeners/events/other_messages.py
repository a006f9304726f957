"""Message events the coach does not act on (channel chatter it can see, edits): acknowledged, ignored.

Without this Bolt answers 404 and Slack would keep redelivering them.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.acks import ack_now
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.event("message")(ack_now)
