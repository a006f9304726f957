"""Buttons on an exercise step: a rating 1-5 (kept before the ack, bot/slack/durable.py; the answer names its step,
so its rerun after it was stored answers nothing more), or 'Answer in a form' for a text step (the form opens from
the ack, see bot/slack/modals.py: nothing to keep, and if the worker dies first the button is still there)."""

from __future__ import annotations

import json
import logging
import re
from functools import partial

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack.admission import may_keep
from bot.slack.blocks.exercise import STEP_FORM, STEP_RATING, answer_modal
from bot.slack.durable import keep_then_ack
from bot.slack.exercises import answer
from bot.slack.listeners.kept import clicked
from bot.slack.modals import open_form
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.action(re.compile(f"^{STEP_RATING}_[1-5]$"))(ack=partial(keep_then_ack, services),
                                                              lazy=[clicked(services, partial(rate_step, services))])
    app.action(STEP_FORM)(partial(ack_and_open_form, services))  # the form opens from the ack: see modals.py


def rate_step(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None or not may_keep(services, client, context, lambda text: None, "an exercise"):
        return
    ref = json.loads(action["value"])
    answer(services.coaching, client, person_of(context), int(ref["session"]),
           int(ref["answer"]), ref["channel"], ref["thread"], step_id=ref["step"])


def ack_and_open_form(services: SlackServices, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
    ack()
    if services.coaching is None:
        return
    ref = json.loads(action["value"])
    step = next((s for e in services.coaching.library for s in e.steps if s.id == ref["step"]), None)
    if step is not None:
        open_form(client, body.get("trigger_id"), answer_modal(step, ref))
