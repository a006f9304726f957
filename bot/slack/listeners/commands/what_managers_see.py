"""`/coach what-managers-see`: the published group figures that include the person, who can see them, and the
rules that protect them. Anyone may ask, about themselves only."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.coaching.managers_view import managers_view
from bot.errors import CoachError
from bot.slack.blocks.managers_view import managers_view_blocks
from bot.slack.escaping import escape_for_slack
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        command.reply(client, "This coach keeps no ratings (no database configured), so managers see nothing.")
        return
    settings = coaching.settings
    try:
        view = managers_view(coaching.db.uow(), command.person,
                             min_group=settings.trends_min_cohort, period=settings.trends_period,
                             epsilon=settings.trends_epsilon)
    except CoachError as exc:
        command.reply(client, f"I could not show this just now: {escape_for_slack(str(exc))}")
        return
    command.reply(client, "What programme managers see about your groups", blocks=managers_view_blocks(view))
