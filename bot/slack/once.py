"""What a kept delivery sends to Slack, sent once even when another worker runs the delivery again.

A rerun (bot/slack/durable.py) starts the work from the top. What it stores is keyed in the database (a
submission key, a claimed event), but a reply sent to Slack cannot be taken back, so each send is a named step:
the first run marks a step in the event ledger once Slack has taken it; a rerun claims the mark first and skips
the step if the first run had marked it. A send is made twice only if its worker died between Slack taking it and
the mark (a few milliseconds), and never more than twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltContext

from bot.slack.durable import KEPT, RERUN
from bot.slack.services import EventLedger

log = logging.getLogger(__name__)


class Once:
    def __init__(self, ledger: EventLedger, context: BoltContext) -> None:
        self._ledger = ledger
        self._stored: str | None = context.get(KEPT)
        self.rerun = bool(context.get(RERUN))

    def __call__(self, step: str, send: Callable[[], object]) -> bool:
        """Run `send` unless an earlier run of this delivery did; True if it ran."""
        if self._stored is None:  # not kept (no database, or not a delivery Slack sends): nothing to repeat
            send()
            return True
        if self.rerun and not self.missed(step):
            log.info("a step the first run finished is not repeated (%s)", step)
            return False
        send()
        if not self.rerun:
            self.mark(step)
        return True

    def mark(self, step: str) -> None:
        """The first run's record that `step` happened (a failure to record only risks sending it twice)."""
        try:
            self._ledger.claim_event(self._marker(step))
        except Exception:
            log.warning("could not record a step of a kept delivery (%s)", step, exc_info=True)

    def missed(self, step: str) -> bool:
        """On a rerun: True (and the step is claimed) if no earlier run marked `step`."""
        return self._ledger.claim_event(self._marker(step))

    def _marker(self, step: str) -> str:
        return f"step:{self._stored}:{step}"
