"""The optional comment after 👍 / 👎."""

from __future__ import annotations

from functools import partial

from slack_bolt import App, BoltContext

from bot.slack.blocks.feedback import COMMENT_VIEW, comment_from
from bot.slack.listeners.acks import ack_now
from bot.slack.people import person_of
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.view(COMMENT_VIEW)(ack=ack_now, lazy=[partial(store_comment, services)])


def store_comment(services: SlackServices, body: dict, view: dict, context: BoltContext) -> None:
    answer_id, helpful, comment = comment_from(view)
    if comment:
        person = person_of(context)
        services.feedback.record(user_id=person, answer_id=answer_id, helpful=helpful, comment=comment)
