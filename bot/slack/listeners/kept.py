"""Clicks kept in the inbox (bot/slack/durable.py) before their ack, so that their work outlives the worker.

A button that acts once per message (a weekly prompt's Skip, a commitment's Done) is kept under the message and
the button rather than the click: a doubled click, on any worker, is then a copy of the first one and dropped at
the ack, and a rerun of the first click is never mistaken for a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.slack.durable import durably, keep
from bot.slack.services import SlackServices

ClickWork = Callable[[dict, dict, WebClient, BoltContext], None]  # body, action, client, context


def once_per_message(body: dict) -> str | None:
    """The key of a click that acts once per message and button (None outside a message: the click's own)."""
    container = body.get("container") or {}
    message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    if not message_ts:
        return None
    user = (body.get("user") or {}).get("id")
    return f"action:{user}:{container.get('channel_id')}:{message_ts}:{body['actions'][0]['action_id']}"


def keep_click_then_ack(services: SlackServices, ack: Ack, body: dict, context: BoltContext) -> None:
    keep(services, body, context, key=once_per_message(body))
    ack()


def clicked(services: SlackServices, work: ClickWork) -> Callable[..., None]:
    """The lazy part of a kept click: `work(body, action, client, context)`, run durably."""

    def run(body: dict, client: WebClient, context: BoltContext) -> None:
        work(body, body["actions"][0], client, context)

    return durably(services, run)


def clicked_at(action: dict) -> datetime:
    """When the person clicked (Slack's action_ts), the same on every run of the click's work."""
    try:
        return datetime.fromtimestamp(float(action["action_ts"]), UTC)
    except (KeyError, TypeError, ValueError):
        return datetime.now(UTC)
