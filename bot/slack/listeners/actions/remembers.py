"""Buttons in the "what I remember" modal: correct or delete a commitment, clear the conversation memory.

Delete and clear are kept before the ack (bot/slack/durable.py): both leave the same state when run again. Correct
pushes a form, which needs the click's trigger (3 s): nothing to keep; the button is still there to click again."""

from __future__ import annotations

import json
import logging
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.commitments import delete_commitment
from bot.coaching.remembers import forget_conversations, what_is_remembered
from bot.errors import CoachError
from bot.slack.blocks.commitments import (
    REMEMBERS_CORRECT,
    REMEMBERS_DELETE,
    REMEMBERS_FORGET_TURNS,
    commitment_modal,
    remembers_view,
)
from bot.slack.durable import keep_then_ack
from bot.slack.listeners.acks import ack_now
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.listeners.kept import clicked
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    keeping = partial(keep_then_ack, services)
    app.action(REMEMBERS_DELETE)(ack=keeping, lazy=[clicked(services, partial(delete, services))])
    app.action(REMEMBERS_FORGET_TURNS)(ack=keeping, lazy=[clicked(services, partial(forget_turns, services))])
    app.action(REMEMBERS_CORRECT)(ack=ack_now, lazy=[partial(open_correction, services)])


def delete(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    try:
        delete_commitment(services.coaching.db.uow(), _person(context), int(json.loads(action["value"])["commitment"]))
    except CoachError as exc:  # already deleted (a double click): the refreshed view shows it gone
        log.info("commitment not deleted: %s", exc)
    _refresh(services, body, client, context)


def forget_turns(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    forget_conversations(services.coaching.db.uow(), _person(context))
    _refresh(services, body, client, context)


def open_correction(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    commitment_id = int(json.loads(action["value"])["commitment"])
    with services.coaching.db.uow() as uow:
        found = uow.commitments.get(_person(context), commitment_id)
    if found is None:
        return
    try:
        client.views_push(trigger_id=body["trigger_id"],
                          view=commitment_modal({"commitment": commitment_id}, found))
    except SlackApiError as exc:
        log.info("correction form not opened: %s", exc.response.get("error"))


def _person(context: BoltContext) -> str:
    return person_of(context)


def _refresh(services: SlackServices, body: dict, client: WebClient, context: BoltContext) -> None:
    coaching = services.coaching
    assert coaching is not None
    view = body.get("view") or {}
    try:
        client.views_update(view_id=view["id"], hash=view.get("hash"),
                            view=remembers_view(what_is_remembered(coaching.db.uow(), _person(context)),
                                                coaching.settings.turn_retention_days))
    except (SlackApiError, KeyError) as exc:
        log.info("remembers view not updated: %s", exc)
    refresh_home(services, client, person_of(context), body["user"]["id"])
