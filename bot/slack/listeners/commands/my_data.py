"""`/coach my-data`: everything stored about the user, sent to their DM as files (JSON, and ratings as CSV)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.data_rights import export_json, export_user_data, ratings_csv
from bot.errors import CoachError
from bot.slack.people import person_id
from bot.slack.replies import ephemeral, open_dm
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    if services.coaching is None:
        ephemeral(client, command, "Data export is not available on this coach (no database configured).")
        return
    try:
        export = export_user_data(services.coaching.db.uow(), person_id(command.get("team_id"), command["user_id"]))
    except CoachError as exc:
        ephemeral(client, command, f"I could not export your data: {exc}")
        return
    channel = open_dm(client, command["user_id"])
    if channel is None:
        return
    try:
        client.files_upload_v2(
            channel=channel,
            initial_comment="Here is everything I hold about you. The ratings are also in the CSV for spreadsheets.",
            file_uploads=[
                {"content": export_json(export), "filename": "coach-my-data.json", "title": "Your coach data"},
                {"content": ratings_csv(export), "filename": "coach-ratings.csv", "title": "Your ratings"},
            ],
        )
    except SlackApiError as exc:
        log.warning("export upload failed: %s", exc.response.get("error"))
        ephemeral(client, command, "I could not send the export file just now; please try again in a minute.")
