"""The weekly prompt's buttons: Start now, Skip this week, Snooze a day.

Skip and snooze are recorded by the coaching core (bot.coaching.weekly), so the scheduler honours them on every
worker: a skipped week is not sent again, a snoozed prompt comes back once a day later. Each click is kept in the
inbox under the prompt and button before its ack (listeners/kept.py), so a retried or doubled click acts once, and
the work of a worker that dies mid-click is finished by another: skip and snooze set a state (the snooze from the
click's own time), the message is replaced with what happened, and the exercise is started once (once.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta
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
from bot.slack.listeners.kept import clicked, clicked_at, keep_click_then_ack
from bot.slack.once import Once
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)
SNOOZE = timedelta(days=1)


def register(app: App, services: SlackServices) -> None:
    keeping = partial(keep_click_then_ack, services)
    app.action(WEEKLY_START)(ack=keeping, lazy=[clicked(services, partial(start_now, services))])
    app.action(WEEKLY_SKIP)(ack=keeping, lazy=[clicked(services, partial(skip, services))])
    app.action(WEEKLY_SNOOZE)(ack=keeping, lazy=[clicked(services, partial(snooze_a_day, services))])


def start_now(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    _settle(client, body, "Starting it now: see the new thread below.")
    exercise_id, _ = prompt_ref(action["value"])
    try:
        Once(services.ledger, context)("exercise", lambda: start_in_dm(services, client, person_of(context),
                                                                body["user"]["id"], exercise_id or None))
    except CoachError as exc:
        log.warning("weekly start failed: %s", exc)


def skip(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    _, week = prompt_ref(action["value"])
    try:
        skip_week(services.coaching.db.uow(), person_of(context), week=week)
        text = "Skipped for this week. Your next prompt comes at the usual time next week."
    except CoachError as exc:
        text = _refusal("skip", exc)
    _settle(client, body, text)


def snooze_a_day(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    _, week = prompt_ref(action["value"])
    now = clicked_at(action)
    try:
        subscription = snooze(services.coaching.db.uow(), person_of(context),
                              now + SNOOZE, now=now, week=week)
        back_at = (now + SNOOZE).astimezone(ZoneInfo(subscription.timezone))
        text = f"Snoozed: I'll remind you tomorrow at {back_at:%H:%M}."
    except CoachError as exc:
        text = _refusal("snooze", exc)
    _settle(client, body, text)


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
