"""Requests exactly as Slack sends them: signed, in Slack's three body formats."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from itertools import count
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

_ids = count(1)


@dataclass
class Reply:
    status: int
    body: str


class SlackSender:
    def __init__(self, url: str, signing_secret: str) -> None:
        self.url = url
        self.secret = signing_secret

    # -- the three formats -----------------------------------------------------------------------------
    def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None,
              team: str = "T1") -> Reply:
        body = json.dumps({
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
            "event": {"event_ts": event.get("ts", "1.0"), **event},
        })
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(body, "application/json", headers)

    def command(self, text: str, user: str = "U1", channel: str = "C1") -> Reply:
        body = urlencode({
            "token": "legacy", "team_id": "T1", "team_domain": "test", "channel_id": channel, "channel_name": "general",
            "user_id": user, "user_name": user.lower(), "command": "/coach", "text": text, "api_app_id": "A1",
            "response_url": "https://hooks.slack.invalid/commands/1", "trigger_id": f"trig.{next(_ids)}",
        })
        return self.post(body, "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> Reply:
        payload = {"team": {"id": "T1"}, "api_app_id": "A1", "token": "legacy", **payload}
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def action(self, action_id: str, value: str, user: str = "U1", channel: str = "D1", **extra: Any) -> Reply:
        return self.interaction({
            "type": "block_actions", "user": {"id": user}, "trigger_id": f"trig.{next(_ids)}",
            "channel": {"id": channel}, "container": {"type": "message", "channel_id": channel},
            "message": {"ts": "1700000000.000001"},
            "actions": [{"action_id": action_id, "block_id": "b", "value": value, "type": "button"}], **extra,
        })

    def feedback(self, block: dict[str, Any], helpful: bool, user: str = "U1", channel: str = "D1",
                 message: dict[str, Any] | None = None) -> Reply:
        """A click on one of the feedback_buttons in `block` (a context_actions block), as Slack sends it: the
        clicked button's value, and the message it sits under."""
        element = block["elements"][0]
        button = element["positive_button" if helpful else "negative_button"]
        return self.interaction({
            "type": "block_actions", "user": {"id": user, "team_id": "T1"}, "trigger_id": f"trig.{next(_ids)}",
            "channel": {"id": channel}, "container": {"type": "message", "channel_id": channel,
                                                      "message_ts": (message or {}).get("ts", "1700000000.000001")},
            "message": message or {"ts": "1700000000.000001", "blocks": [block]},
            "actions": [{"type": "feedback_buttons", "action_id": element["action_id"], "block_id": block["block_id"],
                         "value": button["value"], "text": button["text"], "action_ts": f"{time.time():.6f}"}],
        })

    def view_submission(self, view: dict[str, Any], user: str = "U1") -> Reply:
        return self.interaction({"type": "view_submission", "user": {"id": user},
                                 "trigger_id": f"trig.{next(_ids)}", "view": view})

    # -- signing ---------------------------------------------------------------------------------------
    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None,
             signed: bool = True, timestamp: int | None = None) -> Reply:
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            ts = str(timestamp if timestamp is not None else int(time.time()))
            all_headers["X-Slack-Request-Timestamp"] = ts
            all_headers["X-Slack-Signature"] = SignatureVerifier(self.secret).generate_signature(
                timestamp=ts, body=body)
        request = urllib.request.Request(self.url, data=body.encode(), headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, exc.read().decode())
