"""`/coach help` (and any subcommand the coach does not know): what the coach can do."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.blocks.home import HELP_LINES, MANAGER_HELP
from bot.slack.escaping import escape_for_slack
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    intro = "Here is what I can do:"
    if command.name != "help":
        intro = f"I don't know `{escape_for_slack(command.name[:30])}`. {intro}"
    command.reply(client, "\n".join([intro, *(f"• {line}" for line in [*HELP_LINES, MANAGER_HELP])]))
