"""`/coach remembers`: what the coach remembers about you (commitments, conversation memory), in a modal
where each commitment can be corrected or deleted and the conversation memory cleared."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.remembers import what_is_remembered
from bot.slack.blocks.commitments import remembers_view
from bot.slack.people import person_id
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        ephemeral(client, command, "I keep nothing about you on this coach (no database configured).")
        return
    found = what_is_remembered(coaching.db.uow(), person_id(command.get("team_id"), command["user_id"]))
    try:
        client.views_open(trigger_id=command["trigger_id"],
                          view=remembers_view(found, coaching.settings.turn_retention_days))
    except SlackApiError as exc:
        log.warning("remembers modal not opened: %s", exc.response.get("error"))
        ephemeral(client, command, "I couldn't open that in time. Please run `/coach remembers` again.")
