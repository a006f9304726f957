"""👍 / 👎 under an answer: store the verdict, then offer a modal for an optional comment."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack.admission import may_keep
from bot.slack.blocks.answer import FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL
from bot.slack.blocks.feedback import comment_modal
from bot.slack.modals import open_form
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    for action_id in (FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL):
        app.action(action_id)(ack=ack_and_ask_comment, lazy=[partial(record_verdict, services)])


def ack_and_ask_comment(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
    """The comment form opens from the ack, on the forms executor (bot/slack/modals.py): its trigger lasts 3 s."""
    ack()
    open_form(client, body.get("trigger_id"), comment_modal(action["value"], action["action_id"] == FEEDBACK_HELPFUL))


def record_verdict(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    helpful = action["action_id"] == FEEDBACK_HELPFUL
    if not may_keep(services, client, context, lambda text: None, "feedback"):  # a verdict is tied to the person
        return
    services.feedback.record(user_id=person_of(context), answer_id=action["value"], helpful=helpful)
