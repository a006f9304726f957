"""`@coach …` in a channel: answered in a thread under the mention."""

from __future__ import annotations

from functools import partial

from slack_bolt import App, BoltContext, SetStatus
from slack_sdk import WebClient

from bot.errors import StorageUnavailableError
from bot.slack.admission import asker
from bot.slack.asking import answer_in_thread, strip_mentions
from bot.slack.delivery import Thread, post_reply
from bot.slack.durable import durably, keep_then_ack
from bot.slack.replies import section
from bot.slack.services import SlackServices
from bot.slack.storage_outage import tell_to_try_again


def register(app: App, services: SlackServices) -> None:
    app.event("app_mention")(ack=partial(keep_then_ack, services),
                             lazy=[durably(services, partial(answer_mention, services))])


def answer_mention(services: SlackServices, body: dict, event: dict, client: WebClient, context: BoltContext,
                   set_status: SetStatus | None) -> None:
    try:
        person, refused = asker(services, client, context) if event.get("user") else (None, None)
    except StorageUnavailableError as exc:  # acknowledged: Slack will not resend it, so say so now
        tell_to_try_again(client, Thread(event["channel"], event.get("thread_ts") or event["ts"], event.get("user"),
                                         event.get("user_team") or context.team_id, None), exc)
        return
    thread = Thread(event["channel"], event.get("thread_ts") or event["ts"], event.get("user"),
                    event.get("user_team") or context.team_id, person)
    if refused:
        post_reply(client, thread, [section(refused)], refused)
        return
    answer_in_thread(services, client, thread, strip_mentions(event.get("text", "")), event["ts"], set_status)
