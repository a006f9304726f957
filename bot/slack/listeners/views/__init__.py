from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.views import feedback_comment
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    feedback_comment.register(app, services)
