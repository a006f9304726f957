from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.commands import coach
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    coach.register(app, services)
