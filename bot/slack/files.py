"""Files the coach sends by DM: the data export, the progress chart and (managers) the trends heatmap."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.coaching.data_rights import export_json, export_user_data, ratings_csv
from bot.coaching.history import history_summary
from bot.errors import NotPermittedError
from bot.slack.replies import dm, open_dm
from bot.slack.services import CoachingServices
from bot.slack.uploads import upload_recorded


def send_export(coaching: CoachingServices, client: WebClient, person: str, user_id: str) -> bool:
    """Everything stored about the user, as JSON and a ratings CSV in their DM. False if Slack refused."""
    export = export_user_data(coaching.db.uow(), person)
    if not export["tables"]["users"]:  # nobody to record the files against, and nothing to send
        return dm(client, user_id, "I hold nothing about you.") is not None
    return _upload(coaching, client, person, "export", user_id,
                   "Here is everything I hold about you. The ratings are also in the CSV.", [
        {"content": export_json(export), "filename": "coach-my-data.json", "title": "Your coach data"},
        {"content": ratings_csv(export), "filename": "coach-ratings.csv", "title": "Your ratings"},
    ])


def send_chart(coaching: CoachingServices, client: WebClient, person: str, user_id: str) -> bool:
    from bot.coaching.chart import render_history_chart  # matplotlib: ~50 MiB a worker holds only once asked

    summary = history_summary(coaching.db.uow(), person)
    return _upload(coaching, client, person, "chart", user_id, "Your self-ratings over time.", [
        {"content": render_history_chart(summary), "filename": "coach-progress.png", "title": "Your progress"}])


def send_trends_heatmap(coaching: CoachingServices, client: WebClient, person: str, user_id: str) -> bool:
    """The programme heatmap in a manager's DM (the view audited); False if not a manager or Slack refused."""
    from bot.slack.home import manager_trends
    from bot.slack.trends_files import send_heatmap

    try:
        trends = manager_trends(coaching, person)
    except NotPermittedError:
        return False
    return trends is not None and send_heatmap(coaching, client, person, user_id, trends) is not None


def _upload(coaching: CoachingServices, client: WebClient, person: str, kind: str, user_id: str, comment: str,
            uploads: list[dict]) -> bool:
    channel = open_dm(client, user_id)
    if channel is None:
        return False
    return upload_recorded(coaching, client, person, kind, uploads, channel=channel,
                           initial_comment=comment) is not None
