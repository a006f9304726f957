"""A message in the coach's Messages tab (a DM): answered in its thread; follow-ups continue it.

In an exercise's thread it is the answer to the current step instead."""

from __future__ import annotations

from functools import partial

from slack_bolt import App, BoltContext, SetStatus
from slack_sdk import WebClient

from bot.errors import StorageUnavailableError
from bot.slack.admission import asker
from bot.slack.asking import answer_in_thread, strip_mentions, title_thread
from bot.slack.delivery import Thread, post_reply
from bot.slack.durable import durably, keep_then_ack
from bot.slack.exercises import answer, session_active, session_of_thread
from bot.slack.replies import section
from bot.slack.services import SlackServices
from bot.slack.storage_outage import tell_to_try_again


def is_person_in_dm(event: dict) -> bool:
    return event.get("channel_type") == "im" and not event.get("bot_id")


def register(app: App, services: SlackServices) -> None:
    app.event("message", matchers=[is_person_in_dm])(ack=partial(keep_then_ack, services),
                                                      lazy=[durably(services, partial(answer_dm, services))])


def answer_dm(services: SlackServices, body: dict, event: dict, client: WebClient, context: BoltContext,
              set_status: SetStatus | None) -> None:
    try:
        person, refused = asker(services, client, context)
    except StorageUnavailableError as exc:  # acknowledged: Slack will not resend it, so say so now
        tell_to_try_again(client, Thread(event["channel"], event.get("thread_ts") or event["ts"], event.get("user"),
                                         event.get("user_team") or context.team_id, None), exc)
        return
    thread = Thread(event["channel"], event.get("thread_ts") or event["ts"], event.get("user"),
                    event.get("user_team") or context.team_id, person)
    if refused:
        post_reply(client, thread, [section(refused)], refused)
        return
    # A reply in an exercise's thread is the answer to its current step, not a question.
    session_id = session_of_thread(services, thread.channel, event["thread_ts"], person) \
        if event.get("thread_ts") and person else None
    if session_id is not None and services.coaching is not None and session_active(services.coaching, session_id):
        assert person is not None  # only people the coach keeps data for have exercise threads
        answer(services.coaching, client, person, session_id, event.get("text", ""), thread.channel, thread.thread_ts)
        return
    question = strip_mentions(event.get("text", ""))
    if not event.get("thread_ts"):  # a new conversation in the Messages tab: named after its question
        title_thread(client, thread, question)
    answer_in_thread(services, client, thread, question, event["ts"], set_status)
