"""`/coach reflect [exercise]`: start (or resume) a reflective exercise in a DM thread."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.errors import CoachError
from bot.slack.escaping import escape_for_slack
from bot.slack.exercises import start_in_dm
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    if services.coaching is None:
        ephemeral(client, command, "Exercises are not available on this coach (no database configured).")
        return
    try:
        start_in_dm(services, client, command.get("team_id"), command["user_id"], rest.strip() or None)
    except CoachError as exc:
        ephemeral(client, command, escape_for_slack(str(exc)))
