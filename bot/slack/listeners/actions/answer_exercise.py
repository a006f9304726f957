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
from bot.slack.listeners.kept import clicked, keep_click_then_ack
from bot.slack.once import Once
from bot.slack.people import person_of
from bot.slack.replies import dm
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    # Kept once per answer and button (listeners/kept.py); the exercise is started once (once.py).
    app.action(START_EXERCISE)(ack=partial(keep_click_then_ack, services),
                               lazy=[clicked(services, partial(start_exercise, services))])


def start_exercise(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    if not may_keep(services, client, context, lambda text: dm(client, body["user"]["id"], text),
                    "a reflective exercise"):
        return
    try:
        Once(services.ledger, context)("exercise", lambda: start_in_dm(services, client, person_of(context),
                                                                body["user"]["id"], action["value"] or None))
    except CoachError as exc:
        log.warning("exercise from an answer not started: %s", exc)
