"""Structured logs: one JSON object a line (python-json-logger), each carrying the request id of the Slack event
being handled, so one event can be followed through the ack and the work after it.

What may be logged: kinds, ids, counts, timings. Never what someone wrote (questions, notes, reflections),
tokens or secrets, at any level. Our own code keeps to that; the libraries that log request bodies and headers
at DEBUG (Bolt, slack_sdk, the HTTP clients, the OpenAI client) are held at INFO whatever the level asked for,
and what they log at INFO and above is cut to its first words (LibraryRedactor), so no level writes a message's
text (tests/deployment/test_logs_keep_no_text.py scans every line of the Slack scenarios at DEBUG).
"""

from __future__ import annotations

import contextvars
import logging
import sys
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from pythonjsonlogger.json import JsonFormatter

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("coach_request_id", default=None)
# Loggers that write request or response bodies, or headers, at DEBUG.
BODY_LOGGERS = ("slack_bolt", "slack_sdk", "bot.slack.bolt", "urllib3", "httpx", "httpcore", "openai",
                "langchain", "langchain_core", "langchain_openai", "chromadb", "uvicorn.access", "asyncio")
T = TypeVar("T")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class LibraryRedactor(logging.Filter):
    """Libraries put whole request bodies in their messages, even at INFO and WARNING (Bolt's "Invalid request
    signature detected (... body: ...)", "Unhandled request ({body})"). Their records keep only the words
    before the first bracket, colon or brace, and the kind of any exception, never its text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(BODY_LOGGERS):
            return True
        message = record.getMessage()
        cut = min((i for i in (message.find(c) for c in "(:{[") if i >= 0), default=len(message))
        shown = message[:min(cut, 120)].strip()
        if record.exc_info and record.exc_info[0] is not None:
            shown = f"{shown} [{record.exc_info[0].__name__}]"
        record.msg, record.args, record.exc_info, record.exc_text = shown, (), None, None
        return True


def new_request_id(body: dict[str, Any]) -> str:
    """The event's own id when Slack gives one (so Slack's retries of it share the id), else a fresh one."""
    event_id = body.get("event_id")
    rid = event_id if isinstance(event_id, str) and event_id.isalnum() and len(event_id) <= 40 else uuid.uuid4().hex
    REQUEST_ID.set(rid)
    return rid


def handler(stream: Any = None, fmt: str = "json") -> logging.Handler:
    out = logging.StreamHandler(stream or sys.stderr)
    if fmt == "json":
        out.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(threadName)s",
                                       rename_fields={"asctime": "time", "levelname": "level", "name": "logger",
                                                      "threadName": "thread"}))
    else:
        out.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    out.addFilter(RequestIdFilter())
    out.addFilter(LibraryRedactor())
    return out


def configure(level: str, fmt: str = "json", stream: Any = None) -> None:
    """The serving process's logging: replaces the root logger's handlers (uvicorn's worker processes start
    without the parent's configuration, so each calls this)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler(stream, fmt))
    root.setLevel(level.upper())
    quiet = max(logging.INFO, root.level)
    for name in BODY_LOGGERS:
        logging.getLogger(name).setLevel(quiet)


class ContextExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in the submitter's context: the work Bolt does after the ack keeps the
    request id that was set while acknowledging."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        context = contextvars.copy_context()
        return super().submit(context.run, fn, *args, **kwargs)
