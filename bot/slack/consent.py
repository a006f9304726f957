"""The consent notice, shown once on a person's first contact with the coach."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.data_rights import consent_notice, has_consented, record_consent
from bot.errors import CoachError
from bot.slack.escaping import escape_for_slack
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)
FOOTER = "\n_Export your data with `/coach my-data`; erase it with `/coach forget-me`._"


def notice_on_first_contact(services: SlackServices, client: WebClient, person: str, channel: str,
                            thread_ts: str | None = None) -> None:
    coaching = services.coaching
    if coaching is None:
        return
    try:
        if has_consented(coaching.db.uow(), person):
            return
        client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                text=escape_for_slack(consent_notice(coaching.settings)) + FOOTER)
        record_consent(coaching.db.uow(), person)
    except (CoachError, SlackApiError) as exc:  # the notice is retried on the next contact
        log.warning("consent notice not shown: %s", exc)
