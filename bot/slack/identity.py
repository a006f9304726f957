"""People stored under their own workspace's id before one person had one id (bot/slack/people.py) get their
rows back under the canonical id: from the first request this process sees from them, and for a whole
organisation when it installs the app or an operator asks (`coach people merge-ids`).

Before, events used `authorizations[0].team_id`, interactions `user.team_id` and commands `team_id`, so in a
Grid organisation or a Slack Connect channel one person's rows were split over `slack:T…:U…` ids. A request
names those workspaces again, so the ids to look for are known from the payload: a few primary-key lookups the
first time a person is seen, nothing afterwards.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from bot.coaching import identities
from bot.slack.people import leftovers, person_id, slack_user

log = logging.getLogger(__name__)


def payload_teams(body: Mapping[str, Any]) -> set[str]:
    """Every workspace a Slack payload names: the ones the person's id was built from before."""
    event, user = body.get("event") or {}, body.get("user") or {}
    found = {body.get("team_id"), (body.get("team") or {}).get("id"), body.get("user_team"),
             user.get("team_id") if isinstance(user, dict) else None, event.get("user_team"), event.get("team"),
             *((a or {}).get("team_id") for a in body.get("authorizations") or [])}
    return {str(t) for t in found if t}


class CanonicalIds:
    """Remembers whom this process has settled, so only a person's first request looks anything up."""

    def __init__(self) -> None:
        self._settled: set[str] = set()
        self._lock = threading.Lock()

    def settle(self, uow: Callable[[], Any], context: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        user = context.get("user_id")
        if not user:
            return
        org = context.get("enterprise_id") or context.get("team_id")
        keep = person_id(org, str(user))
        with self._lock:
            if keep in self._settled:
                return
        candidates = [c for c in (person_id(team, str(user)) for team in payload_teams(body)) if c != keep]
        try:
            found = identities.existing_ids(uow(), candidates) if candidates else []
            others = leftovers(found, org, str(user), identities.installed_orgs(uow())) if found else []
            if others:
                counts = identities.merge_ids(uow(), keep, others)
                log.info("moved %d rows of one person from %d earlier id(s)", sum(counts.values()), len(others))
        except Exception:  # tried again on their next request; the request itself goes ahead
            log.warning("could not move a person's rows from their earlier ids", exc_info=True)
            return
        with self._lock:
            self._settled.add(keep)


def merge_organisation(uow: Callable[[], Any], org: str, *, teams: set[str] | None = None,
                       actor: str | None = None) -> dict[str, int]:
    """Every person's earlier ids moved to their id in `org` (a Grid organisation or a workspace): ids under
    `teams`, or with None under any workspace the app is not installed in. Returns {"people", "rows"}."""
    ids, installed = identities.ids_starting(uow(), "slack:"), identities.installed_orgs(uow())
    by_user: dict[str, list[str]] = {}
    for candidate in ids:
        seen = slack_user(candidate)
        if seen is None or seen[0] in installed | {org} or (teams is not None and seen[0] not in teams):
            continue
        by_user.setdefault(seen[1], []).append(candidate)
    people = rows = 0
    for user, others in sorted(by_user.items()):
        counts = identities.merge_ids(uow(), person_id(org, user), others, actor=actor)
        people += bool(counts)
        rows += sum(counts.values())
    return {"people": people, "rows": rows}
