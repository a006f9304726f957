"""`/coach reflect [exercise]`: start (or resume) a reflective exercise in a DM thread."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.errors import CoachError
from bot.slack.escaping import escape_for_slack
from bot.slack.exercises import start_in_dm
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    if services.coaching is None:
        command.reply(client, "Exercises are not available on this coach (no database configured).")
        return
    try:
        command.step("exercise", lambda: start_in_dm(services, client, command.person, command.user_id,
                                                     command.rest or None))
    except CoachError as exc:
        command.reply(client, escape_for_slack(str(exc)))
