"""A new thread in the legacy assistant container (assistant_view): offer the suggested prompts there.

The manifest uses the agent messaging experience (agent_view), where Slack sends app_home_opened instead; this
stays for a workspace whose app configuration has not been switched yet."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.durable import durably, keep_then_ack
from bot.slack.listeners.events.app_home_opened import PROMPTS_TITLE, SUGGESTED_PROMPTS
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.event("assistant_thread_started")(ack=partial(keep_then_ack, services),
                                          lazy=[durably(services, partial(suggest_prompts, services))])


def suggest_prompts(services: SlackServices, body: dict, event: dict, client: WebClient) -> None:
    thread = event.get("assistant_thread") or {}
    try:
        client.assistant_threads_setSuggestedPrompts(channel_id=thread["channel_id"], thread_ts=thread["thread_ts"],
                                                     title=PROMPTS_TITLE,
                                                     prompts=SUGGESTED_PROMPTS)
    except (SlackApiError, KeyError) as exc:
        log.warning("assistant_thread_started: could not suggest prompts (%s)", exc)
