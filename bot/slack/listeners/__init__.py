"""Every listener, one per file; each folder's register(app, services) wires its own."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, views
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    for area in (events, commands, actions, views):
        area.register(app, services)
