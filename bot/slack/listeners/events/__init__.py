from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.events import (
    app_home_opened,
    app_mention,
    assistant_thread_context_changed,
    assistant_thread_started,
    direct_message,
    other_messages,
    uninstalled,
)
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app_home_opened.register(app, services)
    app_mention.register(app, services)
    assistant_thread_started.register(app, services)
    assistant_thread_context_changed.register(app, services)
    direct_message.register(app, services)
    uninstalled.register(app, services)
    other_messages.register(app, services)  # last: the catch-all for message events nobody else wants
