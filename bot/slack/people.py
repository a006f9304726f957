"""How a Slack user is known to the core: an opaque id the core never parses."""

from __future__ import annotations


def person_id(team_id: str | None, user_id: str) -> str:
    return f"slack:{team_id or '-'}:{user_id}"


def team_of(body: dict) -> str | None:
    """The workspace of an interaction or command payload."""
    return (body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id") or body.get("team_id")


def slack_user(person: str) -> tuple[str | None, str] | None:
    """(team, user) back from a person id this layer made; None for ids made elsewhere (e.g. the CLI)."""
    kind, _, rest = person.partition(":")
    team, _, user = rest.partition(":")
    if kind != "slack" or not user:
        return None
    return (None if team == "-" else team), user
