"""`/coach reflect [exercise]`: start (or resume) a reflective exercise in a DM thread."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.coaching.reflection import start_or_resume_exercise
from bot.errors import CoachError
from bot.slack.blocks.exercise import opening_text
from bot.slack.consent import notice_on_first_contact
from bot.slack.exercises import post_next, tie_thread
from bot.slack.people import person_id
from bot.slack.replies import ephemeral, open_dm
from bot.slack.services import SlackServices


def run(services: SlackServices, command: dict, rest: str, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        ephemeral(client, command, "Exercises are not available on this coach (no database configured).")
        return
    person = person_id(command.get("team_id"), command["user_id"])
    try:
        progress = start_or_resume_exercise(coaching.db.uow(), coaching.library, person, rest.strip() or None)
    except CoachError as exc:
        ephemeral(client, command, str(exc))
        return
    channel = open_dm(client, command["user_id"])
    if channel is None:
        return
    notice_on_first_contact(services, client, person, channel)
    root = client.chat_postMessage(channel=channel, text=opening_text(progress.exercise, progress.resumed))
    tie_thread(services, channel, root["ts"], person, progress.session_id)
    post_next(coaching, client, channel, root["ts"], progress)
