"""`/coach help` (and any subcommand the coach does not know): what the coach can do."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.blocks.home import HELP_LINES, MANAGER_HELP
from bot.slack.escaping import escape_for_slack
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    name = (command.get("text") or "").strip().split(" ")[0]
    intro = "Here is what I can do:"
    if name not in ("", "help"):
        intro = f"I don't know `{escape_for_slack(name[:30])}`. {intro}"
    ephemeral(client, command, "\n".join([intro, *(f"• {line}" for line in [*HELP_LINES, MANAGER_HELP])]))
