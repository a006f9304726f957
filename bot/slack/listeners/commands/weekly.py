"""`/coach weekly on|off|status [day] [time]`: the weekly prompt, in the user's Slack timezone."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.weekly import subscribe, subscription_status, unsubscribe
from bot.errors import CoachError
from bot.slack.blocks.weekly import status_text
from bot.slack.escaping import escape_for_slack
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand

log = logging.getLogger(__name__)


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        command.reply(client, "Weekly prompts are not available on this coach (no database configured).")
        return
    person = command.person
    words = command.rest.lower().split()
    action = words[0] if words else "status"
    try:
        if action == "on":
            day = next((w for w in words[1:] if ":" not in w), "monday")
            at = next((w for w in words[1:] if ":" in w), "09:00")
            sub = subscribe(coaching.db.uow(), person, day=day, at=at, timezone=user_timezone(client, command))
            notice_on_first_contact(services, client, person, command.channel_id or "")  # once it is kept
            command.reply(client, status_text(True, sub.weekday, sub.local_time, sub.timezone))
        elif action == "off":
            unsubscribe(coaching.db.uow(), person)
            command.reply(client, status_text(False))
        else:
            current = subscription_status(coaching.db.uow(), person)
            if current is not None and current.active:
                text = status_text(True, current.weekday, current.local_time, current.timezone)
            else:
                text = status_text(False)
            command.reply(client, text)
    except CoachError as exc:
        command.reply(client, f"{escape_for_slack(str(exc))} Try `/coach weekly on monday 09:00`.")


def user_timezone(client: WebClient, command: SlashCommand) -> str | None:
    """The timezone set in the user's Slack profile (None: the coach's default)."""
    try:
        return client.users_info(user=command.user_id)["user"].get("tz")
    except SlackApiError as exc:
        log.info("users.info failed (%s); using the default timezone", exc.response.get("error"))
        return None
