"""What kind of Slack request a body is, as a short bounded label for metrics and logs (never its content)."""

from __future__ import annotations

from typing import Any

MAX_LABEL = 40


def request_kind(body: dict[str, Any]) -> str:
    event = body.get("event")
    if isinstance(event, dict) and isinstance(event.get("type"), str):
        kind = f"event:{event['type']}"
    elif isinstance(body.get("command"), str):
        kind = f"command:{body['command']}"
    elif isinstance(body.get("type"), str):
        kind = str(body["type"])
    else:
        kind = "unknown"
    return kind[:MAX_LABEL]
