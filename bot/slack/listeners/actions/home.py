"""Buttons on the Home tab: rate myself, progress chart, export, erase; for managers, the trends heatmap."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.attributes import attributes
from bot.errors import CoachError
from bot.slack.blocks.assessment import assessment_modal
from bot.slack.blocks.data import forget_me_modal
from bot.slack.blocks.home import HOME_ASSESS, HOME_CHART, HOME_EXPORT, HOME_FORGET, HOME_HEATMAP
from bot.slack.escaping import escape_for_slack
from bot.slack.files import send_chart, send_export, send_trends_heatmap
from bot.slack.listeners.acks import ack_now
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.people import person_id, team_of
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.replies import dm
from bot.slack.services import CoachingServices, SlackServices

log = logging.getLogger(__name__)
FileSender = Callable[[CoachingServices, WebClient, str | None, str], bool]


def register(app: App, services: SlackServices) -> None:
    app.action(HOME_ASSESS)(ack=ack_now, lazy=[partial(open_assessment, services, assessment_modal(attributes()))])
    app.action(HOME_FORGET)(ack=ack_now, lazy=[partial(open_modal, forget_me_modal())])
    app.action(HOME_EXPORT)(ack=ack_now, lazy=[partial(send_file, services, send_export)])
    app.action(HOME_CHART)(ack=ack_now, lazy=[partial(send_file, services, send_chart)])
    app.action(HOME_HEATMAP)(ack=ack_now, lazy=[partial(send_heatmap_and_show_it, services)])


def open_modal(view: dict, body: dict, client: WebClient) -> None:
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as exc:
        log.info("modal from the Home tab not opened: %s", exc.response.get("error"))


def open_assessment(services: SlackServices, view: dict, body: dict, client: WebClient) -> None:
    open_modal(view, body, client)
    user = body["user"]["id"]
    notice_on_first_contact(services, client, person_id(team_of(body), user), (body.get("channel") or {}).get("id")
                            or "")


def send_file(services: SlackServices, sender: FileSender, body: dict, client: WebClient) -> None:
    if services.coaching is None:
        return
    try:
        sender(services.coaching, client, team_of(body), body["user"]["id"])
    except CoachError as exc:
        dm(client, body["user"]["id"], f"Sorry, that did not work: {escape_for_slack(str(exc))}")


def send_heatmap_and_show_it(services: SlackServices, body: dict, client: WebClient) -> None:
    """The heatmap to the manager's DM; then the Home tab shows it too (the file is shared with them now)."""
    send_file(services, send_trends_heatmap, body, client)
    refresh_home(services, client, team_of(body), body["user"]["id"])
