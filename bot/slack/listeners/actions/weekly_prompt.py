"""The weekly prompt's buttons: Start now, Skip this week, Snooze a day (a Slack scheduled reminder)."""

from __future__ import annotations

import logging
import time
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import CoachError
from bot.slack.blocks.weekly import WEEKLY_SKIP, WEEKLY_SNOOZE, WEEKLY_START, settled, weekly_prompt_blocks
from bot.slack.exercises import start_in_dm
from bot.slack.listeners.acks import ack_now
from bot.slack.people import team_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)
DAY_SECONDS = 24 * 3600


def register(app: App, services: SlackServices) -> None:
    app.action(WEEKLY_START)(ack=ack_now, lazy=[partial(start_now, services)])
    app.action(WEEKLY_SKIP)(ack=ack_now, lazy=[skip])
    app.action(WEEKLY_SNOOZE)(ack=ack_now, lazy=[snooze])


def start_now(services: SlackServices, body: dict, action: dict, client: WebClient) -> None:
    _settle(client, body, "Starting it now: see the new thread below.")
    try:
        start_in_dm(services, client, team_of(body), body["user"]["id"], action["value"])
    except CoachError as exc:
        log.warning("weekly start failed: %s", exc)


def skip(body: dict, client: WebClient) -> None:
    _settle(client, body, "Skipped this week. See you next week.")


def snooze(body: dict, action: dict, client: WebClient) -> None:
    channel = body["container"]["channel_id"]
    text = (body.get("message") or {}).get("text") or "Your weekly reflection is ready."
    try:
        client.chat_scheduleMessage(channel=channel, post_at=int(time.time()) + DAY_SECONDS, text=text,
                                    blocks=weekly_prompt_blocks(text, action["value"]))
        _settle(client, body, "Snoozed: I'll ask again this time tomorrow.")
    except SlackApiError as exc:
        log.warning("weekly snooze failed: %s", exc.response.get("error"))


def _settle(client: WebClient, body: dict, text: str) -> None:
    """Replace the buttons so the prompt cannot be answered twice."""
    try:
        client.chat_update(channel=body["container"]["channel_id"], ts=body["container"]["message_ts"], text=text,
                           blocks=settled(text))
    except (SlackApiError, KeyError) as exc:
        log.info("weekly prompt not updated: %s", exc)
