"""The coach answers people only: its own messages and other bots' are acknowledged and dropped.

Bolt already drops the app's own events; this also covers other bots, which could otherwise
start two bots answering each other forever.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltResponse

# Message subtypes that are a person writing; edits, joins, deletions and the like are not questions.
PERSON_SUBTYPES = {None, "file_share", "thread_broadcast"}


def ignore_bot_messages(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:
    event = body.get("event") or {}
    if event.get("type") in ("message", "app_mention") and (
        event.get("bot_id") or event.get("bot_profile") or event.get("subtype") not in PERSON_SUBTYPES
    ):
        return BoltResponse(status=200, body="")
    return next()
