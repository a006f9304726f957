"""Commitment buttons: make one (the form) or not at the end of an exercise; Done / Not yet / Drop it on the
weekly prompt and the Home tab.

Each click on a message is kept in the inbox under the message and button (listeners/kept.py), so a retried or
doubled click acts once and a worker's death mid-click is finished by another. An outcome is recorded at the
click's own time, so the rerun of a click whose outcome was stored records nothing more (record_outcome). The
form opens from the ack, on the forms executor (bot/slack/modals.py): nothing is kept for it, since a rerun
could not open it (the trigger lasts 3 s); if the worker dies first, the button is still there to click again.
"""

from __future__ import annotations

import json
import logging
from functools import partial

from slack_bolt import Ack, App, BoltContext
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
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.listeners.kept import clicked, clicked_at, keep_click_then_ack
from bot.slack.modals import open_form as open_modal
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    keeping = partial(keep_click_then_ack, services)
    app.action(COMMITMENT_FORM)(open_form)
    app.action(COMMITMENT_NONE)(ack=keeping, lazy=[clicked(services, no_commitment)])
    for action_id in OUTCOME_ACTIONS:
        app.action(action_id)(ack=keeping, lazy=[clicked(services, partial(keep_outcome, services))])


def open_form(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
    ack()
    open_modal(client, body.get("trigger_id"), commitment_modal(json.loads(action["value"])))


def no_commitment(body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    settle(client, body, ASK_BLOCK, "No commitment this time.")


def keep_outcome(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    if services.coaching is None:
        return
    person = person_of(context)
    try:
        kept = record_outcome(services.coaching.db.uow(), person, int(json.loads(action["value"])["commitment"]),
                              OUTCOME_ACTIONS[action["action_id"]], now=clicked_at(action))
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
