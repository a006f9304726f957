""""I'd like to talk to a person": the person is sent who to contact (the COACH_SUPPORT_* settings).

Nothing of the conversation is sent anywhere: the reply goes only to the person who clicked, in the thread
the button was in (or their DM, from the Home tab). Kept before the ack (bot/slack/durable.py), sent once."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.safeguarding import Concern, handoff
from bot.config import get_settings
from bot.slack.blocks.person import TALK_TO_PERSON
from bot.slack.durable import keep_then_ack
from bot.slack.escaping import escape_for_slack
from bot.slack.listeners.kept import clicked
from bot.slack.once import Once
from bot.slack.replies import dm
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.action(TALK_TO_PERSON)(ack=partial(keep_then_ack, services),
                               lazy=[clicked(services, partial(send_contacts, services))])


def send_contacts(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    Once(services.ledger, context)("contacts", lambda: _send(services, body, client))


def _send(services: SlackServices, body: dict, client: WebClient) -> None:
    settings = services.coaching.settings if services.coaching is not None else get_settings()
    text = escape_for_slack(handoff(Concern.HUMAN, settings).text)
    container = body.get("container") or {}
    channel = container.get("channel_id")
    if container.get("type") != "message" or not channel:  # the Home tab: to their DM
        dm(client, body["user"]["id"], text)
        return
    message = body.get("message") or {}
    thread = (container.get("thread_ts") or message.get("thread_ts") or container.get("message_ts")
              or message.get("ts"))
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread, text=text)
    except SlackApiError as exc:
        log.warning("contacts not posted in %s (%s); sending by DM", channel, exc.response.get("error"))
        dm(client, body["user"]["id"], text)
