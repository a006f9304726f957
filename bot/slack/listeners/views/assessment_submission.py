"""Saving the self-assessment modal: validated in the ack (errors show on the field), kept in the inbox before
the ack (bot/slack/durable.py) and stored after it, by this worker or, if it dies, by another.

The modal's view id is the inbox key and the submission key, so a retried or doubled submission is stored once.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.coaching import validation
from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.errors import CoachError, InvalidInputError, StorageUnavailableError
from bot.slack.admission import may_keep
from bot.slack.blocks.assessment import ASSESS_VIEW, error_block, saved_summary, submitted_values
from bot.slack.durable import again_once_back, durably, keep
from bot.slack.escaping import escape_for_slack
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.people import person_of
from bot.slack.replies import dm
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)
NOT_SAVED = ("Your self-assessment was not saved: I cannot reach my records just now. Please fill it in again in "
             "a minute.")


def register(app: App, services: SlackServices) -> None:
    app.view(ASSESS_VIEW)(ack=partial(check, services), lazy=[durably(services, partial(store, services))])


def check(services: SlackServices, ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    attribute_set = attributes()
    try:
        ratings, notes = submitted_values(view)
        validation.ratings(ratings, attribute_set.ids)
        validation.note(notes)
    except InvalidInputError as exc:
        ack(response_action="errors", errors={error_block(exc.field, attribute_set.ids): str(exc)[:150]})
        return
    keep(services, body, context)
    ack()


def store(services: SlackServices, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    user = body["user"]["id"]
    if services.coaching is None:
        dm(client, user, "Self-assessments are not available on this coach (no database configured).")
        return
    try:
        if not may_keep(services, client, context, lambda text: dm(client, user, text), "a self-assessment"):
            return
        ratings, notes = submitted_values(view)
        result = submit_assessment(services.coaching.db.uow(), person_of(context), ratings, notes,
                                   submission_key=f"view:{view['id']}", source="slack")
    except StorageUnavailableError as exc:
        log.warning("database unavailable while storing a self-assessment: %s", exc)
        again_once_back(exc, context)
        dm(client, user, NOT_SAVED)  # acknowledged and kept nowhere, so Slack will not resend it: the person must
        return
    except CoachError as exc:
        dm(client, user, f"Your self-assessment was not saved: {escape_for_slack(str(exc))}")
        return
    if result.created:
        names = {a.id: a.name for a in attributes().attributes}
        dm(client, user, saved_summary(ratings, names))
        refresh_home(services, client, person_of(context), user)
