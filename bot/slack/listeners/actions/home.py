"""Buttons on the Home tab: rate myself, progress chart, export, erase; for managers, the trends heatmap.

The files are kept before the ack (bot/slack/durable.py) and sent once (once.py), by another worker if this one
dies. The forms open from the ack (their trigger lasts 3 s) and are not kept: a rerun could not open them, and the
button is still there to click again. Only the notice after the self-assessment form is kept (it is sent once)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.coaching.attributes import attributes
from bot.errors import CoachError
from bot.slack.admission import may_keep
from bot.slack.blocks.assessment import assessment_modal
from bot.slack.blocks.data import forget_me_modal
from bot.slack.blocks.home import HOME_ASSESS, HOME_CHART, HOME_EXPORT, HOME_FORGET, HOME_HEATMAP
from bot.slack.durable import durably, keep, keep_then_ack
from bot.slack.escaping import escape_for_slack
from bot.slack.files import send_chart, send_export, send_trends_heatmap
from bot.slack.listeners.events.app_home_opened import refresh_home
from bot.slack.listeners.kept import clicked
from bot.slack.modals import open_form
from bot.slack.once import Once
from bot.slack.people import person_of
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.replies import dm
from bot.slack.services import CoachingServices, SlackServices

log = logging.getLogger(__name__)
FileSender = Callable[[CoachingServices, WebClient, str, str], bool]


def register(app: App, services: SlackServices) -> None:
    # Forms open from the ack, on their own executor (bot/slack/modals.py): the trigger lasts 3 s.
    app.action(HOME_ASSESS)(ack=partial(ack_and_open_assessment, services, assessment_modal(attributes())),
                            lazy=[durably(services, partial(notice_after_form, services))])
    app.action(HOME_FORGET)(partial(ack_and_open, forget_me_modal()))
    keeping = partial(keep_then_ack, services)
    app.action(HOME_EXPORT)(ack=keeping, lazy=[clicked(services, partial(send_file, services, send_export))])
    app.action(HOME_CHART)(ack=keeping, lazy=[clicked(services, partial(send_file, services, send_chart))])
    app.action(HOME_HEATMAP)(ack=keeping, lazy=[clicked(services, partial(send_heatmap_and_show_it, services))])


def ack_and_open(view: dict, ack: Ack, body: dict, client: WebClient) -> None:
    ack()
    open_form(client, body.get("trigger_id"), view)


def ack_and_open_assessment(services: SlackServices, view: dict, ack: Ack, body: dict, client: WebClient,
                            context: BoltContext) -> None:
    keep(services, body, context)
    ack()
    user = body["user"]["id"]
    open_form(client, body.get("trigger_id"), view, allowed=lambda: may_keep(
        services, client, context, lambda text: dm(client, user, text), "a self-assessment"))


def notice_after_form(services: SlackServices, body: dict, client: WebClient, context: BoltContext) -> None:
    if services.people.access(client, context)[1] != "full":
        return
    notice_on_first_contact(services, client, person_of(context), (body.get("channel") or {}).get("id") or "")


def send_file(services: SlackServices, sender: FileSender, body: dict, action: dict, client: WebClient,
              context: BoltContext) -> None:
    coaching = services.coaching
    if coaching is None:
        return
    try:
        Once(services.ledger, context)("file", lambda: sender(coaching, client, person_of(context), body["user"]["id"]))
    except CoachError as exc:
        dm(client, body["user"]["id"], f"Sorry, that did not work: {escape_for_slack(str(exc))}")


def send_heatmap_and_show_it(services: SlackServices, body: dict, action: dict, client: WebClient,
                             context: BoltContext) -> None:
    """The heatmap to the manager's DM; then the Home tab shows it too (the file is shared with them now)."""
    send_file(services, send_trends_heatmap, body, action, client, context)
    refresh_home(services, client, person_of(context), body["user"]["id"])
