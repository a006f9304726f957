"""Buttons in the "what I remember" modal: correct or delete a commitment, clear the conversation memory.

Delete and clear are kept before the ack (bot/slack/durable.py): both leave the same state when run again. Correct
pushes a form from the ack, on the forms' own executor (bot/slack/modals.py), while the click's trigger (3 s) is
valid: nothing to keep; if it fails, the button is still there to click again."""

from __future__ import annotations

import json
import logging
from functools import partial

from slack_bolt import Ack, App, BoltContext
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
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.listeners.kept import clicked
from bot.slack.modals import push_form
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    keeping = partial(keep_then_ack, services)
    app.action(REMEMBERS_DELETE)(ack=keeping, lazy=[clicked(services, partial(delete, services))])
    app.action(REMEMBERS_FORGET_TURNS)(ack=keeping, lazy=[clicked(services, partial(forget_turns, services))])
    app.action(REMEMBERS_CORRECT)(partial(open_correction, services))


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


def open_correction(services: SlackServices, ack: Ack, body: dict, action: dict, client: WebClient,
                    context: BoltContext) -> None:
    ack()
    coaching = services.coaching
    if coaching is None:
        return
    commitment_id = int(json.loads(action["value"])["commitment"])
    person = _person(context)

    def correction_form() -> dict | None:
        with coaching.db.uow() as uow:
            found = uow.commitments.get(person, commitment_id)
        return None if found is None else commitment_modal({"commitment": commitment_id}, found)

    push_form(client, body.get("trigger_id"), correction_form)


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
