"""`/coach what-managers-see`: the published group figures that include the person, who can see them, and the
rules that protect them. Anyone may ask, about themselves only."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.coaching.managers_view import managers_view
from bot.errors import CoachError
from bot.slack.blocks.managers_view import managers_view_blocks
from bot.slack.escaping import escape_for_slack
from bot.slack.people import person_id
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        ephemeral(client, command, "This coach keeps no ratings (no database configured), so managers see nothing.")
        return
    settings = coaching.settings
    try:
        view = managers_view(coaching.db.uow(), person_id(command.get("team_id"), command["user_id"]),
                             min_group=settings.trends_min_cohort, period=settings.trends_period,
                             epsilon=settings.trends_epsilon)
    except CoachError as exc:
        ephemeral(client, command, f"I could not show this just now: {escape_for_slack(str(exc))}")
        return
    ephemeral(client, command, "What programme managers see about your groups", blocks=managers_view_blocks(view))
