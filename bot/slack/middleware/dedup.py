"""Slack redelivers an event when it saw no ack in 3 s; Bolt does not drop the copies, so we do.

The claim is made in the database, so it holds across workers, processes and restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse

from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def drop_duplicate_events(services: SlackServices, body: dict, request: BoltRequest,
                          next: Callable[[], BoltResponse]) -> BoltResponse | None:
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id and not services.ledger.claim_event(f"event:{event_id}"):
        retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
        log.info("dropped a redelivery of %s (retry %s)", event_id, retry)
        return BoltResponse(status=200, body="")
    return next()
