"""Requests exactly as Slack sends them: signed, in Slack's three body formats.

The sender is one installation: a workspace (`team`), inside an Enterprise Grid organisation when `enterprise` is
set. `user_team` on a request says the person's own workspace differs, as in a Slack Connect channel or across a
Grid organisation: events then carry `event.user_team` and `is_ext_shared_channel`, interactions `user.team_id`.
Trigger ids carry the time they were made, so the fake can expire them after 3 s as Slack does.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable
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


def trigger_id() -> str:
    """Shaped like Slack's (`<n>.<n>.<hex>`), with the time it was made in milliseconds in the middle."""
    return f"{next(_ids)}.{int(time.time() * 1000)}.{secrets.token_hex(8)}"


class SlackSender:
    def __init__(self, url: str, signing_secret: str, response_urls: Callable[[], str] | None = None,
                 team: str = "T1", enterprise: str | None = None) -> None:
        self.url = url
        self.secret = signing_secret
        self.response_urls = response_urls  # a fresh response_url per command (the fake's); else an unreachable one
        self.team = team
        self.enterprise = enterprise

    # -- the three formats -----------------------------------------------------------------------------
    def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None,
              team: str | None = None, user_team: str | None = None) -> Reply:
        team = team or self.team  # `team`: the workspace the event comes from (several installed)
        if user_team:
            event = {**event, "user_team": user_team, "source_team": user_team}
        body = json.dumps({
            "token": "legacy", "team_id": team, "enterprise_id": self.enterprise, "api_app_id": "A1",
            "type": "event_callback", "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": self.enterprise, "team_id": team, "user_id": "UBOT",
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": bool(user_team and user_team != team),
            "event": {"event_ts": event.get("ts", "1.0"), **event},
        })
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(body, "application/json", headers)

    def command(self, text: str, user: str = "U1", channel: str = "C1") -> Reply:
        response_url = self.response_urls() if self.response_urls else "https://hooks.slack.invalid/commands/1"
        fields = {
            "token": "legacy", "team_id": self.team, "team_domain": "test", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": "/coach", "text": text,
            "api_app_id": "A1", "is_enterprise_install": "false", "response_url": response_url,
            "trigger_id": trigger_id(),
        }
        if self.enterprise:
            fields |= {"enterprise_id": self.enterprise, "enterprise_name": "Grid"}
        body = urlencode(fields)
        return self.post(body, "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any], user_team: str | None = None) -> Reply:
        """`payload` as the app's own user would send it; `user_team` when their workspace is another one."""
        team: dict[str, Any] = {"id": self.team, "domain": "test"}
        if self.enterprise:
            team["enterprise_id"] = self.enterprise
        user = {"team_id": user_team or self.team, **payload.get("user", {})}
        payload = {"team": team, "enterprise": {"id": self.enterprise, "name": "Grid"} if self.enterprise else None,
                   "is_enterprise_install": False, "api_app_id": "A1", "token": "legacy", **payload, "user": user}
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def action(self, action_id: str, value: str, user: str = "U1", channel: str = "D1",
               user_team: str | None = None, **extra: Any) -> Reply:
        return self.interaction({
            "type": "block_actions", "user": {"id": user}, "trigger_id": trigger_id(),
            "channel": {"id": channel}, "container": {"type": "message", "channel_id": channel},
            "message": {"ts": "1700000000.000001"},
            "response_url": self.response_urls() if self.response_urls else "https://hooks.slack.invalid/actions/1",
            "actions": [{"action_id": action_id, "block_id": "b", "value": value, "type": "button",
                         "action_ts": f"{time.time():.6f}"}], **extra,
        }, user_team)

    def feedback(self, block: dict[str, Any], helpful: bool, user: str = "U1", channel: str = "D1",
                 message: dict[str, Any] | None = None) -> Reply:
        """A click on one of the feedback_buttons in `block` (a context_actions block), as Slack sends it: the
        clicked button's value, and the message it sits under."""
        element = block["elements"][0]
        button = element["positive_button" if helpful else "negative_button"]
        return self.interaction({
            "type": "block_actions", "user": {"id": user, "team_id": self.team}, "trigger_id": trigger_id(),
            "channel": {"id": channel}, "container": {"type": "message", "channel_id": channel,
                                                      "message_ts": (message or {}).get("ts", "1700000000.000001")},
            "message": message or {"ts": "1700000000.000001", "blocks": [block]},
            "actions": [{"type": "feedback_buttons", "action_id": element["action_id"], "block_id": block["block_id"],
                         "value": button["value"], "text": button["text"], "action_ts": f"{time.time():.6f}"}],
        })

    def view_submission(self, view: dict[str, Any], user: str = "U1", user_team: str | None = None) -> Reply:
        return self.interaction({"type": "view_submission", "user": {"id": user}, "trigger_id": trigger_id(),
                                 "view": {"team_id": self.team, "app_installed_team_id": self.team, **view}},
                                user_team)

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
