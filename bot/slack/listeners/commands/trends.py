"""`/coach trends [cohort]`: anonymised cohort trends, for programme managers only."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.errors import CoachError, CohortNotAssignedError, NotPermittedError
from bot.slack.blocks.trends import trends_blocks
from bot.slack.escaping import escape_for_slack
from bot.slack.home import manager_trends
from bot.slack.people import person_id
from bot.slack.replies import ephemeral
from bot.slack.services import SlackServices
from bot.slack.trends_files import send_heatmap


def parse(rest: str) -> tuple[str | None, str | None]:
    """('quarter', 'Kent LSP') from 'quarter Kent LSP'; (None, None) from ''."""
    first, _, more = rest.strip().partition(" ")
    if first.lower() in ("month", "quarter"):
        return first.lower(), more.strip() or None
    return None, rest.strip() or None


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    if services.coaching is None:
        ephemeral(client, command, "Trends are not available on this coach (no database configured).")
        return
    period, cohort = parse(rest)
    published = services.coaching.settings.trends_period
    if period not in (None, published):
        ephemeral(client, command, f"This coach publishes trends per {published} only: one granularity, so that "
                                   "no period can be subtracted from another.")
        return
    try:
        person = person_id(command.get("team_id"), command["user_id"])
        trends = manager_trends(services.coaching, person, cohort=cohort)
    except CohortNotAssignedError as exc:
        ephemeral(client, command, escape_for_slack(str(exc)))
        return
    except NotPermittedError:
        ephemeral(client, command, "Cohort trends are for programme managers. If that is your role, ask the "
                                   "coach's administrator to set it.")
        return
    except CoachError as exc:
        ephemeral(client, command, f"I could not show the trends: {escape_for_slack(str(exc))}")
        return
    if trends is None:
        ephemeral(client, command, "The trends could not be read just now; please try again in a minute.")
        return
    if cohort and not trends.groups:
        ephemeral(client, command, f"No trends to show for `{escape_for_slack(cohort[:100])}`: no such cohort, or "
                                   f"fewer than {trends.min_group} people in it rated in the same {published}.")
        return
    ephemeral(client, command, "Programme trends", blocks=trends_blocks(trends))
    if trends.groups:  # the picture goes to their DM as a file: Slack shows no unshared file in a block
        send_heatmap(services.coaching, client, person, command["user_id"], trends, cohort)
