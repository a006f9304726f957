"""Confirmed erasure: delete everything about the user, then tell them what was deleted."""

from __future__ import annotations

from functools import partial

from slack_bolt import App
from slack_sdk import WebClient

from bot.coaching.data_rights import erase_user, pseudonym_secret
from bot.coaching.history import published_charts
from bot.errors import CoachError
from bot.slack.blocks.data import FORGET_VIEW, erased_message
from bot.slack.escaping import escape_for_slack
from bot.slack.home import delete_file
from bot.slack.listeners.acks import ack_now
from bot.slack.people import person_id, team_of
from bot.slack.replies import dm
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.view(FORGET_VIEW)(ack=ack_now, lazy=[partial(erase, services)])


def erase(services: SlackServices, body: dict, client: WebClient) -> None:
    user = body["user"]["id"]
    if services.coaching is None:
        dm(client, user, "There is no database on this coach, so nothing about you is stored.")
        return
    coaching = services.coaching
    person = person_id(team_of(body), user)
    try:
        charts = published_charts(coaching.db.uow(), person)
        counts = erase_user(coaching.db.uow(), person, pseudonym_secret(coaching.settings))
    except CoachError as exc:
        dm(client, user, f"Nothing was erased: {escape_for_slack(str(exc))} Please try `/coach forget-me` again.")
        return
    for chart in charts:  # the Home tab's charts picture the ratings: they go from Slack too
        delete_file(client, chart.ref)
    dm(client, user, erased_message(counts))
