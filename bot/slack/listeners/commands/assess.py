"""`/coach assess`: the self-assessment form, opened from the ack (bot/slack/modals.py); the notice after it."""

from __future__ import annotations

from concurrent.futures import Future

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.coaching.attributes import attributes
from bot.slack.admission import may_keep
from bot.slack.blocks.assessment import assessment_modal
from bot.slack.modals import open_form as open_modal
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def open_form(services: SlackServices, command: SlashCommand, client: WebClient, context: BoltContext
              ) -> Future[bool] | None:
    """Runs in the ack function: the call itself (and the check that they may keep one) goes to the forms executor."""
    return open_modal(client, command.trigger_id, assessment_modal(attributes()), lambda error: command.reply(
        client, "I couldn't open the form in time. Please run `/coach assess` again."),
        allowed=lambda: may_keep(services, client, context, lambda text: command.reply(client, text),
                                 "a self-assessment"))


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    # After the ack (the form is already on its way): the notice is there to read before anything is submitted.
    notice_on_first_contact(services, client, command.person, command.channel_id or "")
