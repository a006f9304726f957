"""A pytest plugin for tests/deployment/test_logs_keep_no_text.py: `pytest -p tests.deployment.log_audit`.

Sends every log record of the run, at DEBUG, through the coach's own JSON log configuration into the file
named by COACH_LOG_AUDIT_FILE, and records every text a test sent to the app (message text, command text,
typed form values) in COACH_LOG_AUDIT_SENT, one JSON string a line."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import parse_qs

import pytest

_sent: list[str] = []


def _texts(value: Any, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, k)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, key)]
    return [value] if isinstance(value, str) and key in ("text", "value") else []


def _record(body: str) -> None:
    try:
        parsed = json.loads(body)
    except ValueError:
        form = parse_qs(body)
        try:
            parsed = json.loads(form["payload"][0]) if "payload" in form else {"text": form.get("text", [""])[0]}
        except ValueError:  # the tests of malformed bodies send these on purpose
            parsed = {"text": body}
    _sent.extend(_texts(parsed))


def pytest_configure(config: pytest.Config) -> None:
    from bot.observability import logs
    from tests.slack.signed import SlackSender

    stream = open(os.environ["COACH_LOG_AUDIT_FILE"], "a", encoding="utf-8")  # noqa: SIM115 (open for the run)
    logs.configure("DEBUG", "json", stream)
    original = SlackSender.post

    def post(self: SlackSender, body: str, *args: Any, **kwargs: Any) -> Any:
        _record(body)
        return original(self, body, *args, **kwargs)

    SlackSender.post = post  # type: ignore[method-assign]


def pytest_unconfigure(config: pytest.Config) -> None:
    with open(os.environ["COACH_LOG_AUDIT_SENT"], "w", encoding="utf-8") as out:
        for text in dict.fromkeys(_sent):
            out.write(json.dumps(text) + "\n")
