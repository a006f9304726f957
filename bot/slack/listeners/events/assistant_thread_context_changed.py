"""The person moved to another channel while talking to the coach: acknowledged, and deliberately not kept.

Slack sends the channel (and team) the person is now looking at so an agent can use it as context. The coach
answers from the partnership guidance only and never reads channels, so which channel someone is viewing is
neither stored nor used: keeping it would be a record of their movements in Slack with no purpose.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.acks import ack_now
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.event("assistant_thread_context_changed")(ack_now)
