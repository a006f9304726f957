"""👍 / 👎 under an answer: the person's verdict stored (one per answer, changeable) with the passages the answer
cited; the message shows it; a 👎 offers a modal for what was missing.

The click is kept before its ack (bot/slack/durable.py): a rerun stores the same verdict again (one per answer)
and shows it once (once.py). The 👎 form opens from the ack and is not rerun (its trigger lasts 3 s)."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import CoachError
from bot.slack.admission import may_keep
from bot.slack.blocks.feedback import FEEDBACK_ACTION, comment_modal, verdict_from, with_verdict_note
from bot.slack.durable import keep
from bot.slack.listeners.kept import clicked
from bot.slack.modals import open_form
from bot.slack.once import Once
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.action(FEEDBACK_ACTION)(ack=partial(ack_and_ask_comment, services),
                                lazy=[clicked(services, partial(record_verdict, services))])


def ack_and_ask_comment(services: SlackServices, ack: Ack, body: dict, action: dict, client: WebClient,
                        context: BoltContext) -> None:
    """Only a 👎 asks for more. The form opens from the ack, on the forms executor (bot/slack/modals.py): its
    trigger expires 3 s after the click, whatever else the app is doing."""
    keep(services, body, context)
    ack()
    verdict = verdict_from(str(action.get("value") or ""))
    if verdict is not None and not verdict.helpful:
        open_form(client, body.get("trigger_id"), comment_modal(verdict.answer_id, False))


def record_verdict(services: SlackServices, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    verdict = verdict_from(str(action.get("value") or ""))
    if verdict is None:
        log.info("feedback click with a value this app did not make: ignored")
        return
    if not may_keep(services, client, context, lambda text: None, "feedback"):  # a verdict is tied to the person
        return
    user_id = body["user"]["id"]
    try:
        services.feedback.record(user_id=person_of(context), answer_id=verdict.answer_id,
                                 helpful=verdict.helpful, passages=verdict.passages)
    except CoachError as exc:
        log.warning("feedback not stored: %s", exc)
        return
    Once(services.ledger, context)("verdict", lambda: show_verdict(client, body, user_id, verdict.helpful,
                                                             str(action.get("action_ts") or "")))


def show_verdict(client: WebClient, body: dict, user_id: str, helpful: bool, iteration: str) -> None:
    """In the person's DM the answer itself shows their verdict; in a channel, where others see the answer,
    only they are told (a message there is no place for one person's verdict)."""
    channel = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    if not channel or not message.get("ts"):
        return
    try:
        blocks = with_verdict_note(list(message.get("blocks") or []), helpful, iteration or message["ts"])
        if str(channel).startswith("D") and blocks is not None:
            client.chat_update(channel=channel, ts=message["ts"], blocks=blocks,
                               text=message.get("text") or "The coach's answer")
        else:
            client.chat_postEphemeral(channel=channel, user=user_id, thread_ts=message.get("thread_ts"),
                                      text="Thanks: your verdict on that answer is recorded. Only you see this.")
    except SlackApiError as exc:
        log.info("feedback not shown on the message: %s", exc.response.get("error"))
