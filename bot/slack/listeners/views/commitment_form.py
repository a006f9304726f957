"""The commitment form, submitted at the end of an exercise (or to correct one from `/coach remembers`).

The date is checked in the ack (shown on the field); the person's own calendar is checked again when storing.
A repeated submission for the same exercise session is stored once. Both forms are kept in the inbox before the
ack (bot/slack/durable.py), so a worker's death while storing is finished by another: the commitment is keyed by
its session and the reply sent once (once.py); a correction sets the same fields again.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from functools import partial

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.commitments import commitments_of, correct_commitment, describe, make_commitment
from bot.coaching.remembers import what_is_remembered
from bot.errors import CoachError
from bot.slack.blocks.commitments import BY_BLOCK, COMMITMENT_VIEW, CORRECT_VIEW, remembers_view, submitted
from bot.slack.durable import again_once_back, durably, keep
from bot.slack.escaping import escape_for_slack
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.once import Once
from bot.slack.people import person_of
from bot.slack.replies import dm
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    checking = partial(check, services)
    app.view(COMMITMENT_VIEW)(ack=checking, lazy=[durably(services, partial(store, services))])
    app.view(CORRECT_VIEW)(ack=checking, lazy=[durably(services, partial(store_correction, services))])


def check(services: SlackServices, ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    """No I/O here: a date before yesterday (UTC) is refused on the field; the person's timezone is not needed
    to know that."""
    _, by, _ = submitted(view)
    try:
        day = date.fromisoformat(by) if by is not None else None
    except ValueError:
        ack(response_action="errors", errors={BY_BLOCK: "Pick a date from the calendar."})
        return
    if day is not None and day < datetime.now(UTC).date() - timedelta(days=1):
        ack(response_action="errors", errors={BY_BLOCK: "That date has passed: pick today or a later one."})
        return
    keep(services, body, context)
    ack()


def store(services: SlackServices, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    ref = json.loads(view.get("private_metadata") or "{}")
    what, by, whom = submitted(view)
    person = person_of(context)
    try:
        made = make_commitment(services.coaching.db.uow(), person, what, by=by, with_whom=whom,
                               exercise_id=ref.get("exercise"), session_id=ref.get("session"))
    except CoachError as exc:
        again_once_back(exc, context)
        _reply(client, ref, body, f"Your commitment was not saved: {escape_for_slack(str(exc))}")
        return
    once = Once(services.ledger, context)
    if made is None and what.strip():
        # A repeated submission: the first one was answered. Unless this is that submission's own rerun.
        made = next((c for c in commitments_of(services.coaching.db.uow(), person)
                     if c.session_id == ref.get("session")), None) if once.rerun else None
        if made is None:
            return
    if made is None:
        text = "No commitment this time."
    else:
        text = (f"Noted: you will {escape_for_slack(describe(made))}. I'll ask how it went in your next weekly "
                "prompt. `/coach remembers` shows it, to correct or delete.")
    once("reply", lambda: _reply(client, ref, body, text))
    refresh_home(services, client, person_of(context), body["user"]["id"])


def store_correction(services: SlackServices, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    coaching = services.coaching
    if coaching is None:
        return
    ref = json.loads(view.get("private_metadata") or "{}")
    what, by, whom = submitted(view)
    person = person_of(context)
    try:
        correct_commitment(coaching.db.uow(), person, int(ref["commitment"]), what=what, by=by or "", with_whom=whom)
    except CoachError as exc:
        again_once_back(exc, context)
        dm(client, body["user"]["id"], f"Your correction was not saved: {escape_for_slack(str(exc))}")
        return
    root = view.get("root_view_id")
    if root:
        try:
            client.views_update(view_id=root, view=remembers_view(what_is_remembered(coaching.db.uow(), person),
                                                                  coaching.settings.turn_retention_days))
        except SlackApiError as exc:
            log.info("remembers view not updated: %s", exc.response.get("error"))
    refresh_home(services, client, person_of(context), body["user"]["id"])


def _reply(client: WebClient, ref: dict, body: dict, text: str) -> None:
    """In the exercise's thread when the form came from there, else by DM."""
    if ref.get("channel") and ref.get("thread"):
        try:
            client.chat_postMessage(channel=ref["channel"], thread_ts=ref["thread"], text=text)
            return
        except SlackApiError as exc:
            log.info("commitment reply not posted in the thread: %s", exc.response.get("error"))
    dm(client, body["user"]["id"], text)
