"""Ack functions for lazy listeners: acknowledge at once, the slow part runs after.

Ack functions (and app middleware) run on the HTTP server's event loop, before Slack gets its answer
(bot/slack/server.py): no I/O in them, not even the database. Anything slow goes in the listener's lazy part.
"""

from __future__ import annotations

from slack_bolt import Ack


def ack_now(ack: Ack) -> None:
    ack()
