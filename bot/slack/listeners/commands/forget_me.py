"""`/coach forget-me`: ask for confirmation in a modal; the erasure happens on its submission."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks.data import forget_me_modal
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    try:
        client.views_open(trigger_id=command["trigger_id"], view=forget_me_modal())
    except SlackApiError as exc:
        log.warning("forget-me modal not opened: %s", exc.response.get("error"))
        ephemeral(client, command, "I couldn't open the confirmation in time. Please run `/coach forget-me` again.")
