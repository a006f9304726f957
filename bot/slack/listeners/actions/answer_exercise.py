""""Try the exercise" under an answer: start (or resume) the exercise that fits it, in a DM thread."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.errors import CoachError
from bot.slack.admission import may_keep
from bot.slack.blocks.answer import START_EXERCISE
from bot.slack.exercises import start_in_dm
from bot.slack.listeners.acks import ack_now
from bot.slack.listeners.actions.weekly_prompt import first_click
from bot.slack.people import person_of
from bot.slack.replies import dm
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.action(START_EXERCISE)(ack=ack_now, lazy=[partial(start_exercise, services)])


def start_exercise(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None or not first_click(services, body, action):
        return
    if not may_keep(services, client, context, lambda text: dm(client, body["user"]["id"], text),
                    "a reflective exercise"):
        return
    try:
        start_in_dm(services, client, person_of(context), body["user"]["id"], action["value"] or None)
    except CoachError as exc:
        log.warning("exercise from an answer not started: %s", exc)
