"""A person's rows stored under their earlier ids (bot/slack/identity.py) are moved before any listener reads
them: the first request this process sees from someone looks up the few ids its payload could have made (primary
keys) and moves what it finds, in one transaction; every later request is a set lookup. This is the one piece of
database work before the ack, once per person per process, so that no listener ever reads a half-split person."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltContext, BoltResponse

from bot.slack.services import SlackServices


def canonical_ids(services: SlackServices) -> Callable[..., BoltResponse | None]:
    def settle(body: dict, context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        if services.coaching is not None:
            services.canonical_ids.settle(services.coaching.db.uow, context, body)
        return next()

    return settle
