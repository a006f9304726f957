"""One person, one id: rows stored under someone's earlier ids moved to the id they are known by now.

Which ids are one person's is the caller's knowledge (Slack's: bot/slack/people.py); here every row of the other
ids is moved, in one transaction, with an audit entry that holds counts only (nothing the person wrote).
Running it again moves nothing and records nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

ACTION = "identity-merge"


def existing_ids(uow: SqlUnitOfWork, ids: list[str]) -> list[str]:
    """Those of `ids` someone is stored under."""
    with uow:
        return uow.identities.existing(ids)


def ids_starting(uow: SqlUnitOfWork, prefix: str) -> list[str]:
    with uow:
        return uow.identities.ids_starting(prefix)


def installed_orgs(uow: SqlUnitOfWork) -> set[str]:
    """The organisations the app is installed in (Grid organisations, else workspaces): ids under these are
    someone's current id, never leftovers."""
    with uow:
        return uow.identities.installed_orgs()


def merge_ids(uow: SqlUnitOfWork, keep: str, others: list[str], *, actor: str | None = None,
              now: datetime | None = None) -> dict[str, int]:
    """Move every row of `others` to `keep`; returns rows moved per table (empty when there was nothing)."""
    keep = validation.user_id(keep)
    others = sorted({validation.user_id(o) for o in others} - {keep})
    if not others:
        return {}
    now = now or datetime.now(UTC)
    with uow:
        counts = uow.identities.merge(keep, others)
        if counts:
            uow.audit.record(keep, ACTION, now, detail=json.dumps({"ids": counts.get("users", 0), "rows": counts},
                                                                  sort_keys=True), actor=actor or "system")
        uow.commit()
    return counts
