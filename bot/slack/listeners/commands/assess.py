"""`/coach assess`: open the self-assessment modal (the trigger is only valid for 3 s, so at once)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.attributes import attributes
from bot.slack.blocks.assessment import assessment_modal
from bot.slack.people import person_id
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    try:
        client.views_open(trigger_id=command["trigger_id"], view=assessment_modal(attributes()))
    except SlackApiError as exc:
        log.warning("assessment modal not opened: %s", exc.response.get("error"))
        ephemeral(client, command, "I couldn't open the form in time. Please run `/coach assess` again.")
        return
    # After the modal (its trigger expires in 3 s): the notice is there to read before anything is submitted.
    notice_on_first_contact(services, client, person_id(command.get("team_id"), command["user_id"]),
                            command.get("channel_id") or "")
