"""`/coach trends [cohort]`: anonymised cohort trends, for programme managers only."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.errors import CoachError, CohortNotAssignedError, NotPermittedError
from bot.slack.blocks.trends import trends_blocks
from bot.slack.escaping import escape_for_slack
from bot.slack.home import manager_trends
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand
from bot.slack.trends_files import send_heatmap


def parse(rest: str) -> tuple[str | None, str | None]:
    """('quarter', 'Kent LSP') from 'quarter Kent LSP'; (None, None) from ''."""
    first, _, more = rest.strip().partition(" ")
    if first.lower() in ("month", "quarter"):
        return first.lower(), more.strip() or None
    return None, rest.strip() or None


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    if services.coaching is None:
        command.reply(client, "Trends are not available on this coach (no database configured).")
        return
    period, cohort = parse(command.rest)
    published = services.coaching.settings.trends_period
    if period not in (None, published):
        command.reply(client, f"This coach publishes trends per {published} only: one granularity, so that "
                                   "no period can be subtracted from another.")
        return
    try:
        trends = manager_trends(services.coaching, command.person, cohort=cohort)
    except CohortNotAssignedError as exc:
        command.reply(client, escape_for_slack(str(exc)))
        return
    except NotPermittedError:
        command.reply(client, "Cohort trends are for programme managers. If that is your role, ask the "
                                   "coach's administrator to set it.")
        return
    except CoachError as exc:
        command.reply(client, f"I could not show the trends: {escape_for_slack(str(exc))}")
        return
    if trends is None:
        command.reply(client, "The trends could not be read just now; please try again in a minute.")
        return
    if cohort and not trends.groups:
        command.reply(client, f"No trends to show for `{escape_for_slack(cohort[:100])}`: no such cohort, or "
                                   f"fewer than {trends.min_group} people in it rated in the same {published}.")
        return
    command.reply(client, "Programme trends", blocks=trends_blocks(trends))
    if trends.groups:  # the picture goes to their DM as a file: Slack shows no unshared file in a block
        coaching = services.coaching
        command.step("heatmap", lambda: send_heatmap(coaching, client, command.person, command.user_id, trends,
                                                     cohort))
