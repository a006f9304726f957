"""`/coach privacy`: the privacy notice again, only to the person who asked."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.privacy_notice import notice_text
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    if services.coaching is None:
        command.reply(client, "This coach keeps no database: nothing about you is stored beyond the "
                                   "conversation it is having.")
        return
    command.reply(client, notice_text(services.coaching.settings))
