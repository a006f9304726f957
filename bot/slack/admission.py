"""The policy of bot/slack/standing.py applied in listeners: one call before anything personal is kept."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient

from bot.slack.people import person_of
from bot.slack.services import SlackServices
from bot.slack.standing import refusal


def may_keep(services: SlackServices, client: WebClient, context: Mapping[str, Any], tell: Callable[[str], object],
             what: str) -> bool:
    """True when something personal (`what`: "a self-assessment", …) may be stored for this person; else they
    are told why not."""
    standing, access = services.people.access(client, context)
    if access == "full":
        return True
    tell(refusal(standing, access, what))
    return False


def asker(services: SlackServices, client: WebClient, context: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(person id to remember the conversation under, or None to keep nothing; the refusal if they may not ask)."""
    standing, access = services.people.access(client, context)
    if access == "none":
        return None, refusal(standing, access)
    return (person_of(context) if access == "full" else None), None
