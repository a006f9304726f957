"""Files the coach sends by DM: the data export and the progress chart."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.data_rights import export_json, export_user_data, ratings_csv
from bot.coaching.history import history_summary
from bot.slack.people import person_id
from bot.slack.replies import open_dm
from bot.slack.services import CoachingServices

log = logging.getLogger(__name__)


def send_export(coaching: CoachingServices, client: WebClient, team_id: str | None, user_id: str) -> bool:
    """Everything stored about the user, as JSON and a ratings CSV in their DM. False if Slack refused."""
    export = export_user_data(coaching.db.uow(), person_id(team_id, user_id))
    return _upload(client, user_id, "Here is everything I hold about you. The ratings are also in the CSV.", [
        {"content": export_json(export), "filename": "coach-my-data.json", "title": "Your coach data"},
        {"content": ratings_csv(export), "filename": "coach-ratings.csv", "title": "Your ratings"},
    ])


def send_chart(coaching: CoachingServices, client: WebClient, team_id: str | None, user_id: str) -> bool:
    from bot.coaching.chart import render_history_chart  # matplotlib: ~50 MiB a worker holds only once asked

    summary = history_summary(coaching.db.uow(), person_id(team_id, user_id))
    return _upload(client, user_id, "Your self-ratings over time.", [
        {"content": render_history_chart(summary), "filename": "coach-progress.png", "title": "Your progress"}])


def _upload(client: WebClient, user_id: str, comment: str, uploads: list[dict]) -> bool:
    channel = open_dm(client, user_id)
    if channel is None:
        return False
    try:
        client.files_upload_v2(channel=channel, initial_comment=comment, file_uploads=uploads)
        return True
    except SlackApiError as exc:
        log.warning("file upload to %s failed: %s", user_id, exc.response.get("error"))
        return False
