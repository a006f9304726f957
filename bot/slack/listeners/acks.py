"""Ack functions for lazy listeners: acknowledge at once, the slow part runs after.

Ack functions (and app middleware) run before Slack gets its answer, which it waits 3 s for (bot/slack/server.py):
no I/O in them, with one exception: a delivery whose work must survive the worker is stored first, one INSERT
(`keep_then_ack` in bot/slack/durable.py). Anything slow goes in the listener's lazy part.
"""

from __future__ import annotations

from slack_bolt import Ack


def ack_now(ack: Ack) -> None:
    ack()
