"""The inbox table's statements (see bot/storage/inbox.py for what they are for).

A row is pending while `lease_until` is set and done once it is NULL. Every change is one conditional statement,
so two workers racing for a row cannot both win: PostgreSQL re-checks the condition on the row it waited for
(and the recovery claim skips rows another worker has locked), SQLite lets one writer in at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.storage.orm import InboxRow
from bot.storage.sql import insert_ignoring_conflict


def stored_key(key: str) -> str:
    """What is stored for a delivery key: its hash (the ids need only equality, and may name a person)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Delivery:
    key: str  # the stored key
    kind: str
    payload: str
    attempts: int  # runs started so far


class InboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, key: str, kind: str, payload: str, user_id: str | None, worker: str, now: datetime,
            lease_until: datetime) -> str | None:
        """The stored key of a new row held by `worker`, or None when the key was stored before (a copy)."""
        values = {"key": stored_key(key), "kind": kind[:50], "payload": payload, "user_id": user_id,
                  "worker": worker, "lease_until": lease_until, "attempts": 0, "created_at": now}
        table = InboxRow.__table__
        return insert_ignoring_conflict(self.session, table, values, ["key"], "key")  # type: ignore[arg-type]

    def begin(self, key: str, worker: str) -> int | None:
        """Count a run of a pending row `worker` holds; its attempts so far, or None if it is not the holder."""
        return self.session.execute(
            update(InboxRow).where(InboxRow.key == key, InboxRow.worker == worker, InboxRow.lease_until.is_not(None))
            .values(attempts=InboxRow.attempts + 1).returning(InboxRow.attempts)).scalar_one_or_none()

    def finish(self, key: str, outcome: str) -> None:
        """Done, by whichever worker: a late finisher still stops a take-over from starting the work again."""
        self.session.execute(update(InboxRow).where(InboxRow.key == key, InboxRow.lease_until.is_not(None))
                             .values(outcome=outcome, payload=None, user_id=None, worker=None, lease_until=None))

    def attempts(self, key: str) -> int | None:
        return self.session.execute(select(InboxRow.attempts).where(InboxRow.key == key)).scalar_one_or_none()

    def release(self, key: str, worker: str, retry_at: datetime) -> None:
        """Let any worker run it again from `retry_at`."""
        self.session.execute(update(InboxRow).where(InboxRow.key == key, InboxRow.worker == worker,
                                                    InboxRow.lease_until.is_not(None))
                             .values(worker=None, lease_until=retry_at))

    def renew(self, worker: str, keys: list[str], lease_until: datetime) -> None:
        self.session.execute(update(InboxRow).where(InboxRow.worker == worker, InboxRow.key.in_(keys),
                                                    InboxRow.lease_until.is_not(None))
                             .values(lease_until=lease_until))

    def claim_expired(self, worker: str, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        """Take up to `limit` pending rows whose lease ran out (their worker died, or a failed run's retry is due)."""
        expired = (select(InboxRow.key).where(InboxRow.lease_until < now).order_by(InboxRow.lease_until)
                   .limit(limit).with_for_update(skip_locked=True))  # nothing on SQLite: its writer lock serialises
        rows = self.session.execute(
            update(InboxRow).where(InboxRow.key.in_(expired.scalar_subquery()), InboxRow.lease_until < now)
            .values(worker=worker, lease_until=lease_until)
            .returning(InboxRow.key, InboxRow.kind, InboxRow.payload, InboxRow.attempts)).all()
        return [Delivery(r.key, r.kind, r.payload or "", r.attempts) for r in rows]

    def erase(self, user_id: str) -> int:
        """The person's deliveries not done yet (done rows no longer name anyone)."""
        result = self.session.execute(delete(InboxRow).where(InboxRow.user_id == user_id))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def purge_done_before(self, cutoff: datetime) -> int:
        result = self.session.execute(delete(InboxRow).where(InboxRow.lease_until.is_(None),
                                                             InboxRow.created_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def pending(self) -> int:
        return len(self.session.execute(select(InboxRow.key).where(InboxRow.lease_until.is_not(None))).all())
