"""Commitment buttons: make one (the form) or not at the end of an exercise; Done / Not yet / Drop it on the
weekly prompt and the Home tab. Each click is claimed once, so a retried or doubled click acts once."""

from __future__ import annotations

import json
import logging
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.commitments import OUTCOME_REPLIES, OUTCOME_WORDS, record_outcome
from bot.errors import CoachError
from bot.slack.blocks.commitments import (
    ASK_BLOCK,
    COMMITMENT_FORM,
    COMMITMENT_NONE,
    OUTCOME_ACTIONS,
    commitment_modal,
    replace_block,
)
from bot.slack.escaping import escape_for_slack
from bot.slack.listeners.acks import ack_now
from bot.slack.listeners.actions.weekly_prompt import first_click
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.action(COMMITMENT_FORM)(ack=ack_now, lazy=[open_form])
    app.action(COMMITMENT_NONE)(ack=ack_now, lazy=[partial(no_commitment, services)])
    for action_id in OUTCOME_ACTIONS:
        app.action(action_id)(ack=ack_now, lazy=[partial(keep_outcome, services)])


def open_form(body: dict, action: dict, client: WebClient) -> None:
    try:
        client.views_open(trigger_id=body["trigger_id"], view=commitment_modal(json.loads(action["value"])))
    except SlackApiError as exc:
        log.info("commitment form not opened: %s", exc.response.get("error"))


def no_commitment(services: SlackServices, body: dict, action: dict, client: WebClient) -> None:
    if first_click(services, body, action):
        settle(client, body, ASK_BLOCK, "No commitment this time.")


def keep_outcome(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None or not first_click(services, body, action):
        return
    person = person_of(context)
    try:
        kept = record_outcome(services.coaching.db.uow(), person, int(json.loads(action["value"])["commitment"]),
                              OUTCOME_ACTIONS[action["action_id"]])
        text = OUTCOME_REPLIES.get(kept.status, OUTCOME_WORDS[kept.status])
    except CoachError as exc:
        text = f"I could not keep that: {escape_for_slack(str(exc))}"
    if (body.get("container") or {}).get("type") == "view":  # the Home tab: show it as it now is
        refresh_home(services, client, person_of(context), body["user"]["id"])
        return
    settle(client, body, action.get("block_id") or "follow_up", text)


def settle(client: WebClient, body: dict, block_id: str, text: str) -> None:
    """Replace the clicked buttons with what happened; the rest of the message stays as it was."""
    container = body.get("container") or {}
    blocks = (body.get("message") or {}).get("blocks") or []
    try:
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], text=text,
                           blocks=replace_block(blocks, block_id, text) if blocks else
                           [{"type": "section", "text": {"type": "mrkdwn", "text": text}}])
    except (SlackApiError, KeyError) as exc:
        log.info("message not updated after a commitment click: %s", exc)
