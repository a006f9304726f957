"""The privacy notice in Slack: given once, on a person's first contact, only to them.

Never in a channel or a channel thread, where everyone would read it: in the person's DM (in the thread they
started there, if that is where they asked), else as an ephemeral message only they see.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.privacy_notice import notice_shown, privacy_notice, record_notice_shown
from bot.config import Settings
from bot.errors import CoachError
from bot.slack.escaping import escape_for_slack
from bot.slack.people import slack_user
from bot.slack.replies import open_dm
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)
FOOTER = ("\n_A copy of your data: `/coach my-data`. Erase it: `/coach forget-me`. This notice again: "
          "`/coach privacy`._")


def notice_text(settings: Settings) -> str:
    return escape_for_slack(privacy_notice(settings)) + FOOTER


def notice_on_first_contact(services: SlackServices, client: WebClient, person: str, channel: str,
                            thread_ts: str | None = None) -> None:
    """Give `person` the notice if they have not had it; `channel`/`thread_ts` are where they reached the coach."""
    coaching = services.coaching
    found = slack_user(person)
    if coaching is None or found is None:
        return
    user = found[1]
    try:
        if notice_shown(coaching.db.uow(), person):
            return
        if _give(client, user, channel, thread_ts, notice_text(coaching.settings)):
            record_notice_shown(coaching.db.uow(), person)
    except CoachError as exc:  # the notice is given again on the next contact
        log.warning("privacy notice not recorded: %s", exc)


def _give(client: WebClient, user: str, channel: str, thread_ts: str | None, text: str) -> bool:
    dm = open_dm(client, user)
    try:
        if dm is not None:
            # In their own DM it goes in the thread they started; asked in a channel, it starts a DM message.
            client.chat_postMessage(channel=dm, thread_ts=thread_ts if channel == dm else None, text=text)
            return True
    except SlackApiError as exc:
        log.info("privacy notice not sent by DM (%s); trying an ephemeral message", exc.response.get("error"))
    if not channel or channel == dm:
        return False
    try:
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=text)
        return True
    except SlackApiError as exc:
        log.warning("privacy notice not shown in %s: %s", channel, exc.response.get("error"))
        return False
