"""The weekly prompt's buttons: Start now, Skip this week, Snooze a day.

Skip and snooze are recorded by the coaching core (bot.coaching.weekly), so the scheduler honours them on every
worker: a skipped week is not sent again, a snoozed prompt comes back once a day later. Each click is claimed
in the event ledger first, so a retried or doubled click acts once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.weekly import skip_week, snooze
from bot.errors import CoachError, InvalidInputError
from bot.slack.blocks.weekly import WEEKLY_SKIP, WEEKLY_SNOOZE, WEEKLY_START, prompt_ref, settled
from bot.slack.escaping import escape_for_slack
from bot.slack.exercises import start_in_dm
from bot.slack.limits import fit_message
from bot.slack.listeners.acks import ack_now
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)
SNOOZE = timedelta(days=1)


def register(app: App, services: SlackServices) -> None:
    app.action(WEEKLY_START)(ack=ack_now, lazy=[partial(start_now, services)])
    app.action(WEEKLY_SKIP)(ack=ack_now, lazy=[partial(skip, services)])
    app.action(WEEKLY_SNOOZE)(ack=ack_now, lazy=[partial(snooze_a_day, services)])


def start_now(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None or not first_click(services, body, action):
        return
    _settle(client, body, "Starting it now: see the new thread below.")
    exercise_id, _ = prompt_ref(action["value"])
    try:
        start_in_dm(services, client, person_of(context), body["user"]["id"], exercise_id or None)
    except CoachError as exc:
        log.warning("weekly start failed: %s", exc)


def skip(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None or not first_click(services, body, action):
        return
    _, week = prompt_ref(action["value"])
    try:
        skip_week(services.coaching.db.uow(), person_of(context), week=week)
        text = "Skipped for this week. Your next prompt comes at the usual time next week."
    except CoachError as exc:
        text = _refusal("skip", exc)
    _settle(client, body, text)


def snooze_a_day(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None or not first_click(services, body, action):
        return
    _, week = prompt_ref(action["value"])
    now = datetime.now(UTC)
    try:
        subscription = snooze(services.coaching.db.uow(), person_of(context),
                              now + SNOOZE, now=now, week=week)
        back_at = (now + SNOOZE).astimezone(ZoneInfo(subscription.timezone))
        text = f"Snoozed: I'll remind you tomorrow at {back_at:%H:%M}."
    except CoachError as exc:
        text = _refusal("snooze", exc)
    _settle(client, body, text)


def first_click(services: SlackServices, body: dict, action: dict) -> bool:
    """False for a repeat of a click already handled (Slack's retry, a double click), on any worker."""
    container = body.get("container") or {}
    message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    if not message_ts:
        return True
    user = (body.get("user") or {}).get("id")
    if services.ledger.claim_event(f"action:{user}:{container.get('channel_id')}:{message_ts}:{action['action_id']}"):
        return True
    log.info("dropped a repeated %s click", action["action_id"])
    return False


def _refusal(what: str, exc: CoachError) -> str:
    if isinstance(exc, InvalidInputError) and exc.field == "user_id":
        return f"Weekly prompts are off, so there is nothing to {what}. `/coach weekly on` turns them back on."
    return f"I could not {what} this prompt: {escape_for_slack(str(exc))}"


def _settle(client: WebClient, body: dict, text: str) -> None:
    """Replace the prompt's buttons with what happened, so the prompt cannot be answered twice; a commitment
    follow-up above them stays answerable (its own click settles only its own buttons)."""
    shown = (body.get("message") or {}).get("blocks") or []
    try:
        client.chat_update(channel=body["container"]["channel_id"], ts=body["container"]["message_ts"], text=text,
                           blocks=fit_message(settled(text, shown))[0])
    except (SlackApiError, KeyError) as exc:
        log.info("weekly prompt not updated: %s", exc)
