"""`/coach forget-me`: ask for confirmation in a form (opened from the ack); erasure happens on its submission."""

from __future__ import annotations

from concurrent.futures import Future

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.blocks.data import forget_me_modal
from bot.slack.modals import open_form as open_modal
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def open_form(services: SlackServices, command: SlashCommand, client: WebClient, context: BoltContext
              ) -> Future[bool] | None:
    return open_modal(client, command.trigger_id, forget_me_modal(), lambda error: command.reply(
        client, "I couldn't open the confirmation in time. Please run `/coach forget-me` again."))


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    """Nothing after the ack: the form is all there is until it is submitted."""
