"""A circuit breaker: after repeated failures stop calling the model for a while, then try one call.

Opening and closing are logged and counted (coach_llm_breaker_changes_total{state}), so that an operator sees
the model being left alone, and when it came back, without reading every fallback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Literal

from bot.observability.metrics import BREAKER_CHANGES

State = Literal["closed", "open", "half_open"]
log = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 3, reset_after: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failure_threshold = failure_threshold
        self.reset_after = reset_after
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        return "half_open" if self._clock() - self._opened_at >= self.reset_after else "open"

    def allow(self) -> bool:
        """May a call go ahead? While half-open only one trial call at a time does."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half_open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            was_open = self._opened_at is not None
            self._failures = 0
            self._opened_at = None
            self._trial_running = False
        if was_open:
            BREAKER_CHANGES.labels(state="closed").inc()
            log.info("language model breaker closed: a trial call succeeded")

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            opens = self._opened_at is None and self._failures >= self.failure_threshold
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()  # (re)open: a failed trial restarts the wait
            self._trial_running = False
        if opens:  # a failed trial keeps it open: not a change
            BREAKER_CHANGES.labels(state="open").inc()
            log.warning("language model breaker opened after %d failures in a row: answering offline for %.0f s",
                        self.failure_threshold, self.reset_after)
