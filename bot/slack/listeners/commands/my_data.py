"""`/coach my-data`: everything stored about the user, sent to their DM as files (JSON, ratings as CSV)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.errors import CoachError
from bot.slack.escaping import escape_for_slack
from bot.slack.files import send_export
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    if services.coaching is None:
        command.reply(client, "Data export is not available on this coach (no database configured).")
        return
    coaching = services.coaching
    sent = [True]  # a rerun whose first run sent the export sends nothing more

    def export() -> None:
        sent[0] = send_export(coaching, client, command.person, command.user_id)

    try:
        command.step("export", export)
    except CoachError as exc:
        command.reply(client, f"I could not export your data: {escape_for_slack(str(exc))}")
        return
    if not sent[0]:
        command.reply(client, "I could not send the export file just now; please try again in a minute.")
