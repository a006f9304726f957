"""`/coach privacy`: the privacy notice again, only to the person who asked."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.privacy_notice import notice_text
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    if services.coaching is None:
        ephemeral(client, command, "This coach keeps no database: nothing about you is stored beyond the "
                                   "conversation it is having.")
        return
    ephemeral(client, command, notice_text(services.coaching.settings))
