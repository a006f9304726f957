"""👍 / 👎 under an answer: store the verdict, then offer a modal for an optional comment."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks.answer import FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL
from bot.slack.blocks.feedback import comment_modal
from bot.slack.listeners.acks import ack_now
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    for action_id in (FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL):
        app.action(action_id)(ack=ack_now, lazy=[partial(record_verdict, services)])


def record_verdict(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    helpful = action["action_id"] == FEEDBACK_HELPFUL
    user = person_of(context)
    services.feedback.record(user_id=user, answer_id=action["value"], helpful=helpful)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=comment_modal(action["value"], helpful))
    except SlackApiError as exc:  # the trigger expires after 3 s; the verdict is stored regardless
        log.info("feedback comment modal not opened: %s", exc.response.get("error"))
