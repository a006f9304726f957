"""An exercise step answered in the form instead of the thread. Kept before the ack (bot/slack/durable.py); the
answer names its step, so its rerun after it was stored answers nothing more."""

from __future__ import annotations

import json
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.blocks.exercise import ANSWER_VIEW, answer_from
from bot.slack.durable import durably, keep_then_ack
from bot.slack.exercises import answer
from bot.slack.people import person_of
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.view(ANSWER_VIEW)(ack=partial(keep_then_ack, services),
                          lazy=[durably(services, partial(save_answer, services))])


def save_answer(services: SlackServices, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    ref = json.loads(view.get("private_metadata") or "{}")
    answer(services.coaching, client, person_of(context), int(ref["session"]),
           answer_from(view), ref["channel"], ref["thread"], step_id=ref["step"])
