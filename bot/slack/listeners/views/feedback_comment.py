"""The optional comment after a 👎: stored with the person's verdict on that answer (one per answer, so the rerun
of a kept submission, bot/slack/durable.py, stores it once)."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, BoltContext

from bot.errors import CoachError
from bot.slack.blocks.feedback import COMMENT_VIEW, comment_from
from bot.slack.durable import durably, keep_then_ack
from bot.slack.people import person_of
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.view(COMMENT_VIEW)(ack=partial(keep_then_ack, services),
                           lazy=[durably(services, partial(store_comment, services))])


def store_comment(services: SlackServices, body: dict, view: dict, context: BoltContext) -> None:
    answer_id, helpful, comment = comment_from(view)
    if comment and answer_id:
        person = person_of(context)
        try:
            services.feedback.record(user_id=person, answer_id=answer_id, helpful=helpful, comment=comment)
        except CoachError as exc:
            log.warning("feedback comment not stored: %s", exc)
