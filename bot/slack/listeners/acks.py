"""Ack functions for lazy listeners: acknowledge at once, the slow part runs after."""

from __future__ import annotations

from slack_bolt import Ack


def ack_now(ack: Ack) -> None:
    ack()
