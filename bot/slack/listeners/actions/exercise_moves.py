"""Buttons beside an exercise step: Back, Skip, Save and stop, Help. Kept before the ack (bot/slack/durable.py);
a move names the step it was made on, so its rerun after the move was stored moves nothing more."""

from __future__ import annotations

import json
import re
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.coaching.exercise_moves import Move
from bot.slack.blocks.exercise import STEP_MOVE
from bot.slack.durable import keep_then_ack
from bot.slack.exercises import move
from bot.slack.listeners.kept import clicked
from bot.slack.people import person_of
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    moves = re.compile(f"^{STEP_MOVE}_(back|skip|quit|help)$")
    app.action(moves)(ack=partial(keep_then_ack, services), lazy=[clicked(services, partial(move_step, services))])


def move_step(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    ref = json.loads(action["value"])
    wanted = Move(action["action_id"].removeprefix(f"{STEP_MOVE}_"))
    move(services.coaching, client, person_of(context), int(ref["session"]), wanted,
         ref["channel"], ref["thread"], step_id=ref["step"])
