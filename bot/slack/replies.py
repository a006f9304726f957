"""Small Web API helpers every listener uses; errors are logged, never raised into Bolt."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.limits import fit_message

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
        return post_blocks(client, channel, text, blocks)
    except SlackApiError as exc:
        log.warning("DM to %s failed: %s", user_id, exc.response.get("error"))
        return None


def post_blocks(client: WebClient, channel: str, text: str, blocks: list[dict] | None,
                thread_ts: str | None = None) -> str:
    """chat.postMessage with `blocks` made to fit Block Kit (bot/slack/limits.py): several messages when they must
    be, in order. Returns the first message's ts; raises SlackApiError as the client does."""
    first: str | None = None
    for chunk in fit_message(blocks) if blocks else [None]:
        ts = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=chunk)["ts"]
        first = first or ts
    assert first is not None
    return first



def section(text: str) -> dict:
    """Plain text (already escaped) as one section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
