"""Slack redelivers an event when it saw no ack in 3 s (X-Slack-Retry-Num); Bolt does not drop the copies.

Each event's work, after the ack, starts by claiming the event id in the database: the claim holds across
workers, processes and restarts, and keeps the database write off the ack path.
"""

from __future__ import annotations

import logging

from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def first_delivery(services: SlackServices, body: dict) -> bool:
    """True for the first delivery of this event; False (and logged) for a retried copy."""
    event_id = body.get("event_id")
    if not event_id:
        return True
    if services.ledger.claim_event(f"event:{event_id}"):
        return True
    log.info("dropped a redelivery of %s", event_id)
    return False
