"""The quick check-in after an exercise: one attribute rated, stored once per exercise and attribute (so a rerun
of the click by another worker, bot/slack/durable.py, stores nothing more)."""

from __future__ import annotations

import json
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.coaching.assessments import submit_assessment
from bot.errors import CoachError
from bot.slack.admission import may_keep
from bot.slack.blocks.exercise import CHECKIN
from bot.slack.durable import again_once_back, keep_then_ack
from bot.slack.escaping import escape_for_slack
from bot.slack.listeners.kept import clicked
from bot.slack.people import person_of
from bot.slack.replies import dm
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.action(CHECKIN)(ack=partial(keep_then_ack, services), lazy=[clicked(services, partial(check_in, services))])


def check_in(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None or not may_keep(services, client, context,
                                                 lambda text: dm(client, body["user"]["id"], text), "a check-in"):
        return
    choice = json.loads(action["selected_option"]["value"])
    key = f"checkin:{choice['session']}:{choice['attribute']}"
    try:
        submit_assessment(services.coaching.db.uow(), person_of(context),
                          {choice["attribute"]: int(choice["rating"])}, submission_key=key, source="exercise")
    except CoachError as exc:
        again_once_back(exc, context)
        dm(client, body["user"]["id"], f"Your check-in was not saved: {escape_for_slack(str(exc))}")
