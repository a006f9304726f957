"""How a Slack user is known to the core: one opaque id per person, the same from every kind of request.

The id is `slack:<org>:<user>`, where <org> is the Enterprise Grid organisation when there is one, else the
workspace that installed the coach. Bolt reads both from each payload the way Slack sends them (its context's
`enterprise_id`, and `team_id` from `authorizations[0]` for events, `team.id` or `view.app_installed_team_id`
for interactions, `team_id` for commands), so an event, a button, a command, a form and a menu from one person
all give one id. The user's own workspace (`user.team_id`, `event.user_team`) is never used: in a Slack Connect
channel or across a Grid organisation it differs from request to request for the same person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def person_of(context: Mapping[str, Any]) -> str:
    """The canonical person id of whoever made this request (Bolt's `context`, in any listener)."""
    user = context.get("user_id")
    if not user:
        raise ValueError("this request names no user")
    return person_id(context.get("enterprise_id") or context.get("team_id"), str(user))


def person_id(org_id: str | None, user_id: str) -> str:
    return f"slack:{org_id or '-'}:{user_id}"


def slack_user(person: str) -> tuple[str | None, str] | None:
    """(org, user) back from a person id this layer made; None for ids made elsewhere (e.g. the CLI)."""
    kind, _, rest = person.partition(":")
    org, _, user = rest.partition(":")
    if kind != "slack" or not user:
        return None
    return (None if org == "-" else org), user


def leftovers(ids: list[str], org: str | None, user: str, installed: set[str]) -> list[str]:
    """The ids among `ids` that the same Slack user was stored under before one person had one id: the user
    under a workspace that is not an organisation the app is installed in (the payload's own workspace, in a
    Grid organisation or a Slack Connect channel). Ids under an installed organisation are current ids there."""
    keep = person_id(org, user)
    found = []
    for candidate in ids:
        seen = slack_user(candidate)
        if candidate != keep and seen is not None and seen[1] == user and seen[0] not in installed | {org}:
            found.append(candidate)
    return found
