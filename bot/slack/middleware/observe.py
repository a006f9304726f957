"""Each verified Slack request gets a request id (carried by every log line about it, including the work after
the ack) and is counted by kind."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltResponse

from bot.observability.logs import new_request_id
from bot.observability.metrics import REQUESTS
from bot.slack.request_kind import request_kind

log = logging.getLogger(__name__)


def observe_request(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:
    new_request_id(body)
    kind = request_kind(body)
    REQUESTS.labels(type=kind).inc()
    log.debug("slack request %s", kind)  # the kind only: the line that ties a request id to what came in
    return next()
