"""Prometheus metrics (prometheus-client), served at /metrics by the HTTP server.

With several worker processes (`coach serve --workers N`) each process writes its samples to files in
PROMETHEUS_MULTIPROC_DIR, which `coach serve` sets to a fresh directory before starting them, and /metrics
on any worker adds up every process's (prometheus-client's multiprocess mode). Labels are kinds, never
people or text: a label value per user would be personal data and an unbounded series count.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess as _multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
SLOW = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0)

REQUESTS = Counter("coach_slack_requests", "Slack requests received, by type.", ["type"])
ACKS = Counter("coach_slack_acks", "Slack requests acknowledged (HTTP 200), by type.", ["type"])
ACK_SECONDS = Histogram("coach_slack_ack_seconds", "Time from receiving a Slack request to acknowledging it.",
                        ["type"], buckets=FAST)
ANSWER_SECONDS = Histogram("coach_answer_seconds", "Time to compose an answer, by mode (model, offline, "
                           "fallback, declined).", ["mode"], buckets=SLOW)
RETRIEVAL_SECONDS = Histogram("coach_retrieval_seconds", "Time of one hybrid search.", buckets=FAST)
MODEL_TOKENS = Counter("coach_model_tokens", "Tokens the model reported using, by kind (prompt, completion).",
                       ["kind"])
ERRORS = Counter("coach_errors", "Unexpected errors, by where they happened.", ["where"])
FALLBACKS = Counter("coach_fallbacks", "Times a dependency failed and the coach fell back, by kind.", ["kind"])
WEEKLY_PROMPTS_SENT = Counter("coach_weekly_prompts_sent", "Weekly reflection prompts delivered.")
BREAKER_CHANGES = Counter("coach_llm_breaker_changes", "The model's circuit breaker opening or closing, by the "
                          "state it went to.", ["state"])
DATABASE_ERRORS = Counter("coach_database_errors", "Database calls that failed because it was unavailable.")


def exposition() -> tuple[bytes, str]:
    """The metrics page and its content type: every worker's samples in multiprocess mode, else this process's."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def observe_answer(mode: str, seconds: float, input_tokens: int, output_tokens: int) -> None:
    ANSWER_SECONDS.labels(mode=mode).observe(seconds)
    if input_tokens:
        MODEL_TOKENS.labels(kind="prompt").inc(input_tokens)
    if output_tokens:
        MODEL_TOKENS.labels(kind="completion").inc(output_tokens)
    if mode == "fallback":
        FALLBACKS.labels(kind="model_to_offline").inc()
