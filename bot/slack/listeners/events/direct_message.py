"""A message in the coach's Messages tab (a DM): answered in its thread; follow-ups continue it."""

from __future__ import annotations

from functools import partial

from slack_bolt import App, SetStatus
from slack_sdk import WebClient

from bot.slack.asking import answer_in_thread, strip_mentions
from bot.slack.delivery import Thread
from bot.slack.listeners.acks import ack_now
from bot.slack.services import SlackServices


def is_person_in_dm(event: dict) -> bool:
    return event.get("channel_type") == "im" and not event.get("bot_id")


def register(app: App, services: SlackServices) -> None:
    app.event("message", matchers=[is_person_in_dm])(ack=ack_now, lazy=[partial(answer_dm, services)])


def answer_dm(services: SlackServices, event: dict, client: WebClient, context: dict,
              set_status: SetStatus | None) -> None:
    thread = Thread(event["channel"], event.get("thread_ts") or event["ts"], event.get("user"),
                    context.get("team_id"))
    answer_in_thread(services, client, thread, strip_mentions(event.get("text", "")), event["ts"], set_status)
