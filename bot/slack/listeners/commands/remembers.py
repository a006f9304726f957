"""`/coach remembers`: what the coach remembers about you (commitments, conversation memory), in a modal
where each commitment can be corrected or deleted and the conversation memory cleared."""

from __future__ import annotations

import logging
from concurrent.futures import Future

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.coaching.remembers import what_is_remembered
from bot.slack.blocks.commitments import remembers_view
from bot.slack.modals import open_form as open_modal
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand

log = logging.getLogger(__name__)


def open_form(services: SlackServices, command: SlashCommand, client: WebClient, context: BoltContext
              ) -> Future[bool] | None:
    """Runs in the ack function (bot/slack/listeners/commands/coach.py FORMS)."""
    coaching = services.coaching
    if coaching is None:
        command.reply(client, "I keep nothing about you on this coach (no database configured).")
        return None
    found = what_is_remembered(coaching.db.uow(), command.person)
    # A quick read, then the form goes to the forms executor straight from the ack (its trigger lasts 3 s).
    return open_modal(client, command.trigger_id, remembers_view(found, coaching.settings.turn_retention_days),
               lambda error: command.reply(client, "I couldn't open that in time. Please run `/coach remembers` "
                                                   "again."))


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    """After the ack: the form is already open (or its failure already said)."""
