"""Calling the model within a deadline: retries with backoff (honouring Retry-After), a circuit breaker,
and streamed text handed over as it arrives.

The model is read on a worker thread and its pieces passed through a queue, so the caller's wait is bounded
by the deadline whatever the network does (a stalled stream, a slow retry): the fallback is never late.
"""

from __future__ import annotations

import email.utils
import logging
import queue
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.errors import LLMUnavailableError
from bot.llm.breaker import CircuitBreaker

log = logging.getLogger(__name__)
_MAX_RETRY_AFTER = 60.0


@dataclass
class Usage:
    """Token usage and call counts summed over the model calls of one answer."""

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    retries: int = 0

    def add(self, metadata: dict[str, Any] | None) -> None:
        if metadata:
            self.input_tokens += int(metadata.get("input_tokens") or 0)
            self.output_tokens += int(metadata.get("output_tokens") or 0)


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date, or retry-after-ms)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return None if parsed is None else max(0.0, parsed.timestamp() - time.time())


def retry_wait(exc: BaseException, attempt: int, backoff: float) -> float | None:
    """How long to wait before retrying after `exc`, or None when retrying cannot help (4xx, bad replies)."""
    import openai  # already loaded by the client that raised; kept out of offline start-up

    exponential = backoff * (2**attempt) * (1 + random.random() * 0.25)  # jitter spreads out a herd
    if isinstance(exc, openai.RateLimitError):
        asked = retry_after(exc)
        return exponential if asked is None else min(asked, _MAX_RETRY_AFTER)
    if isinstance(exc, openai.InternalServerError | openai.APIConnectionError):  # 5xx, network, timeout
        return retry_after(exc) or exponential
    return None


class ModelCaller:
    """Streams a LangChain runnable's text within a deadline; failures become LLMUnavailableError."""

    def __init__(self, breaker: CircuitBreaker, max_retries: int = 2, backoff: float = 0.25) -> None:
        self.breaker = breaker
        self.max_retries = max_retries
        self.backoff = backoff

    def stream(self, runnable: Any, inputs: dict[str, Any], deadline: float, usage: Usage) -> Iterator[str]:
        if not self.breaker.allow():
            raise LLMUnavailableError("the language model is paused after repeated failures (circuit open)")
        pieces: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        cancel = threading.Event()
        worker = threading.Thread(target=self._produce, args=(runnable, inputs, deadline, usage, pieces, cancel),
                                  name="llm-stream", daemon=True)
        worker.start()
        try:
            while True:
                remaining = deadline - time.monotonic()
                try:
                    if remaining <= 0:
                        raise queue.Empty
                    kind, value = pieces.get(timeout=remaining)
                except queue.Empty:
                    raise LLMUnavailableError("the language model did not answer in time") from None
                if kind == "text":
                    yield value
                elif kind == "done":
                    self.breaker.record_success()
                    return
                else:
                    raise LLMUnavailableError(value)
        except LLMUnavailableError:
            self.breaker.record_failure()
            raise
        finally:
            cancel.set()

    def complete(self, runnable: Any, inputs: dict[str, Any], deadline: float, usage: Usage) -> str:
        return "".join(self.stream(runnable, inputs, deadline, usage))

    def _produce(self, runnable: Any, inputs: dict[str, Any], deadline: float, usage: Usage,
                 pieces: queue.SimpleQueue[tuple[str, Any]], cancel: threading.Event) -> None:
        attempt = 0
        while True:
            started = False
            usage.calls += 1
            try:
                for chunk in runnable.stream(inputs):
                    if cancel.is_set():
                        return
                    usage.add(getattr(chunk, "usage_metadata", None))
                    text = chunk if isinstance(chunk, str) else getattr(chunk, "content", "")
                    if isinstance(text, str) and text:
                        started = True
                        pieces.put(("text", text))
                pieces.put(("done", None))
                return
            except Exception as exc: # every failure means the same thing: fall back
                wait = retry_wait(exc, attempt, self.backoff)
                # A stream that already produced text is not retried: the caller has shown it.
                if started or wait is None or attempt >= self.max_retries or cancel.is_set() \
                        or time.monotonic() + wait >= deadline:
                    log.warning("language model failed: %s: %s", type(exc).__name__, exc)
                    pieces.put(("error", f"the language model failed ({type(exc).__name__})"))
                    return
                attempt += 1
                usage.retries += 1
                log.info("language model %s; retry %d in %.2fs", type(exc).__name__, attempt, wait)
                if cancel.wait(wait):
                    return
