"""`/coach pause YYYY-MM-DD` (leave, holidays: no weekly prompt before that date) and `/coach resume`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.coaching.pause import pause, resume
from bot.errors import CoachError
from bot.slack.escaping import escape_for_slack
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def run_pause(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        command.reply(client, "Weekly prompts are not available on this coach (no database configured).")
        return
    if not command.rest.strip():
        command.reply(client, "Say until when, e.g. `/coach pause 2027-01-10`: no prompt comes before then.")
        return
    try:
        paused = pause(coaching.db.uow(), command.person, command.rest.strip())
    except CoachError as exc:
        command.reply(client, f"{escape_for_slack(str(exc))} For example: `/coach pause 2027-01-10`.")
        return
    assert paused.paused_until is not None and paused.next_due_at is not None
    local = paused.next_due_at.astimezone(ZoneInfo(paused.timezone))
    command.reply(client, f"Paused: no weekly prompt before {paused.paused_until:%A %-d %B %Y}. The next one "
                               f"comes on {local:%A %-d %B at %H:%M}. `/coach resume` brings them back sooner.")


def run_resume(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        command.reply(client, "Weekly prompts are not available on this coach (no database configured).")
        return
    resumed = resume(coaching.db.uow(), command.person)
    if resumed is None or resumed.next_due_at is None:
        command.reply(client, "Weekly prompts are off. `/coach weekly on monday 09:00` turns them on.")
        return
    local = resumed.next_due_at.astimezone(ZoneInfo(resumed.timezone))
    command.reply(client, f"Weekly prompts are back: the next one comes on {local:%A %-d %B at %H:%M}.")
