"""Opening the app: the Messages tab offers suggested prompts; the Home tab shows the dashboard."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, SetSuggestedPrompts
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks.home import home_view
from bot.slack.listeners.acks import ack_now
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)

SUGGESTED_PROMPTS = [
    {"title": "Leading without control", "message": "How do I lead partners I have no authority over?"},
    {"title": "Avoiding domination", "message": "How can a large partner avoid dominating the partnership?"},
    {"title": "Does it add value?", "message": "How do I tell whether our partnership adds value?"},
]


def register(app: App, services: SlackServices) -> None:
    app.event("app_home_opened")(ack=ack_now, lazy=[partial(open_tab, services)])


def open_tab(services: SlackServices, event: dict, client: WebClient,
             set_suggested_prompts: SetSuggestedPrompts | None) -> None:
    try:
        if event.get("tab") == "messages":
            if set_suggested_prompts is not None:
                set_suggested_prompts(prompts=SUGGESTED_PROMPTS, title="Ask about leading partnerships")
        else:
            client.views_publish(user_id=event["user"], view=home_view(services, event["user"]))
    except SlackApiError as exc:
        log.warning("app_home_opened: %s", exc.response.get("error"))
