"""Small Web API helpers every listener uses; errors are logged, never raised into Bolt."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


def open_dm(client: WebClient, user_id: str) -> str | None:
    try:
        return client.conversations_open(users=user_id)["channel"]["id"]
    except SlackApiError as exc:
        log.warning("conversations.open for %s failed: %s", user_id, exc.response.get("error"))
        return None


def dm(client: WebClient, user_id: str, text: str, blocks: list[dict] | None = None) -> str | None:
    channel = open_dm(client, user_id)
    if channel is None:
        return None
    try:
        return client.chat_postMessage(channel=channel, text=text, blocks=blocks)["ts"]
    except SlackApiError as exc:
        log.warning("DM to %s failed: %s", user_id, exc.response.get("error"))
        return None

