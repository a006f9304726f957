"""The optional comment after a 👎: stored with the person's verdict on that answer."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, BoltContext

from bot.errors import CoachError
from bot.slack.blocks.feedback import COMMENT_VIEW, comment_from
from bot.slack.listeners.acks import ack_now
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.view(COMMENT_VIEW)(ack=ack_now, lazy=[partial(store_comment, services)])


def store_comment(services: SlackServices, body: dict, view: dict, context: BoltContext) -> None:
    answer_id, helpful, comment = comment_from(view)
    if comment and answer_id:
        person = person_of(context)
        try:
            services.feedback.record(user_id=person, answer_id=answer_id, helpful=helpful, comment=comment)
        except CoachError as exc:
            log.warning("feedback comment not stored: %s", exc)
