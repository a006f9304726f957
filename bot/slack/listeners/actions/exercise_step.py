"""Buttons on an exercise step: a rating 1-5, or 'Answer in a form' for a text step."""

from __future__ import annotations

import json
import logging
import re
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks.exercise import STEP_FORM, STEP_RATING, answer_modal
from bot.slack.exercises import answer
from bot.slack.listeners.acks import ack_now
from bot.slack.people import person_id, team_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.action(re.compile(f"^{STEP_RATING}_[1-5]$"))(ack=ack_now, lazy=[partial(rate_step, services)])
    app.action(STEP_FORM)(ack=ack_now, lazy=[partial(open_form, services)])


def rate_step(services: SlackServices, body: dict, action: dict, client: WebClient) -> None:
    if services.coaching is None:
        return
    ref = json.loads(action["value"])
    answer(services.coaching, client, person_id(team_of(body), body["user"]["id"]), int(ref["session"]),
           int(ref["answer"]), ref["channel"], ref["thread"], step_id=ref["step"])


def open_form(services: SlackServices, body: dict, action: dict, client: WebClient) -> None:
    if services.coaching is None:
        return
    ref = json.loads(action["value"])
    exercise_steps = {s.id: s for e in services.coaching.library for s in e.steps}
    step = exercise_steps.get(ref["step"])
    if step is None:
        return
    try:
        client.views_open(trigger_id=body["trigger_id"], view=answer_modal(step, ref))
    except SlackApiError as exc:
        log.info("exercise answer form not opened: %s", exc.response.get("error"))
