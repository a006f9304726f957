"""Who may use what: members of the installing organisation, its guests, and people from other organisations.

Partnership work happens in Slack Connect channels shared with the NHS, the police and other councils, and
guests (`is_restricted`, `is_ultra_restricted`) are common. By default (settings `slack_guest_access`,
`slack_external_access`, both `ask`) they may ask questions, and nothing personal is stored for them: their
questions are answered without conversation memory and no record is made of them; forms, exercises, weekly
prompts, feedback and data exports are for members, or for them too when a setting says `full`. `none` turns
the coach away from them altogether.

Standing comes from `users.info` (the guest flags, and the person's own workspace or Grid organisation), asked
once per person and kept for ten minutes; if Slack cannot say, the person is treated as from elsewhere.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
Access = Literal["none", "ask", "full"]
CACHE_SECONDS = 600.0


class Standing(StrEnum):
    MEMBER = "member"
    GUEST = "guest"
    EXTERNAL = "external"


REFUSALS = {
    "guest": "As a guest in this workspace",
    "external": "As someone from another organisation",
}


@dataclass
class PeoplePolicy:
    guest_access: Access = "ask"
    external_access: Access = "ask"
    _known: dict[tuple[str, str], tuple[float, Standing]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def access(self, client: WebClient, context: Mapping[str, Any]) -> tuple[Standing, Access]:
        standing = self.standing(client, context)
        if standing is Standing.MEMBER:
            return standing, "full"
        return standing, self.guest_access if standing is Standing.GUEST else self.external_access

    def standing(self, client: WebClient, context: Mapping[str, Any]) -> Standing:
        org = str(context.get("enterprise_id") or context.get("team_id") or "")
        user = str(context.get("user_id") or "")
        key = (org, user)
        with self._lock:
            known = self._known.get(key)
        if known is not None and time.monotonic() - known[0] < CACHE_SECONDS:
            return known[1]
        found = _look_up(client, user, {str(v) for v in (context.get("enterprise_id"), context.get("team_id")) if v})
        with self._lock:
            self._known[key] = (time.monotonic(), found)
        return found


def _look_up(client: WebClient, user: str, home: set[str]) -> Standing:
    try:
        info = client.users_info(user=user)["user"]
    except (SlackApiError, OSError, KeyError, TypeError) as exc:
        log.info("users.info for %s failed (%s): treated as from another organisation", user, type(exc).__name__)
        return Standing.EXTERNAL
    theirs = {str(v) for v in (info.get("team_id"), (info.get("enterprise_user") or {}).get("enterprise_id")) if v}
    if home and not (theirs & home):
        return Standing.EXTERNAL
    if info.get("is_restricted") or info.get("is_ultra_restricted"):
        return Standing.GUEST
    return Standing.MEMBER


def refusal(standing: Standing, access: Access, what: str = "this") -> str:
    """What to tell someone who may not use `what`."""
    lead = REFUSALS.get(standing.value, "Here")
    if access == "none":
        return f"{lead}, you cannot use this coach here. Please ask the workspace's administrator."
    return (f"{lead}, you can ask me questions, but I keep nothing personal about you, so {what} is not available "
            "to you here.")
