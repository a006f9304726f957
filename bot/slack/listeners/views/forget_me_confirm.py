"""Confirmed erasure: delete everything about the user, then tell them what was deleted.

The submission is kept before the ack (bot/slack/durable.py), and the erasure deletes it with the person's other
pending deliveries, in its one transaction. A worker that dies before that commits leaves the row, and another
worker erases and reports; one that dies after it leaves nothing to run again: the erasure is done, and only its
report is lost (the person can run `/coach my-data` to see that nothing is left)."""

from __future__ import annotations

from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.coaching.data_rights import pseudonym_secret
from bot.coaching.uploads import erase_with_files
from bot.errors import CoachError
from bot.slack.blocks.data import FORGET_VIEW, erased_message
from bot.slack.durable import durably, keep_then_ack
from bot.slack.escaping import escape_for_slack
from bot.slack.people import person_of
from bot.slack.replies import dm
from bot.slack.services import SlackServices
from bot.slack.uploads import SlackFileRemover


def register(app: App, services: SlackServices) -> None:
    app.view(FORGET_VIEW)(ack=partial(keep_then_ack, services), lazy=[durably(services, partial(erase, services))])


def erase(services: SlackServices, body: dict, client: WebClient, context: BoltContext) -> None:
    user = body["user"]["id"]
    if services.coaching is None:
        dm(client, user, "There is no database on this coach, so nothing about you is stored.")
        return
    coaching = services.coaching
    person = person_of(context)
    try:
        # Files first (exports, charts), then every row: what Slack keeps is reported, never silently left.
        report = erase_with_files(coaching.db.uow, person, pseudonym_secret(coaching.settings),
                                  SlackFileRemover(client))
    except CoachError as exc:
        # The files may already be gone from Slack; the rows are not (their transaction did not commit).
        dm(client, user, f"Your records were not erased: {escape_for_slack(str(exc))} "
                         "Please try `/coach forget-me` again.")
        return
    dm(client, user, erased_message(report))
