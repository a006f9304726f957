"""A lease row: at most one holder of a named job at a time, taken over once its holder stops renewing it.

A holder renews well within `ttl`; one that dies (SIGKILL, a lost machine) simply stops, and the row's
`expires_at` passes, after which the first worker to ask takes it. Each take or renewal is one conditional
UPDATE (or the first INSERT) in its own transaction, so two workers asking at once cannot both win: PostgreSQL
re-checks the condition on the row it waited for, and SQLite's write lock lets one writer in at a time. The
clocks of the workers' machines must agree to within a few seconds (NTP), as they do for everything else here.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.orm import LeaseRow


def holder_id() -> str:
    """Who is asking: host, process and a random part (a restarted process on a reused pid is someone else)."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    def __init__(self, engine: Engine, name: str, ttl: timedelta, holder: str | None = None) -> None:
        self._engine = engine
        self.name = name
        self.ttl = ttl
        self.holder = holder or holder_id()

    def acquire(self, now: datetime | None = None) -> bool:
        """Take or renew the lease; True if this holder has it until `now + ttl`."""
        now = now or datetime.now(UTC)
        expires = now + self.ttl
        with self._engine.begin() as connection:
            renewed = connection.execute(
                update(LeaseRow).where(LeaseRow.name == self.name,
                                       (LeaseRow.holder == self.holder) | (LeaseRow.expires_at < now))
                .values(holder=self.holder, expires_at=expires))
            if renewed.rowcount == 1:
                return True
            dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
            inserted = connection.execute(
                dialect.insert(LeaseRow).values(name=self.name, holder=self.holder, expires_at=expires)
                .on_conflict_do_nothing(index_elements=["name"]).returning(LeaseRow.name))
            return inserted.first() is not None  # rowcount is not reliable after ON CONFLICT on every driver

    def release(self) -> None:
        """Give the lease up at once (a clean shutdown), so another worker need not wait for it to expire."""
        with self._engine.begin() as connection:
            connection.execute(delete(LeaseRow).where(LeaseRow.name == self.name, LeaseRow.holder == self.holder))

    def current_holder(self, now: datetime | None = None) -> str | None:
        now = now or datetime.now(UTC)
        with self._engine.connect() as connection:
            row = connection.execute(select(LeaseRow.holder, LeaseRow.expires_at)
                                     .where(LeaseRow.name == self.name)).first()
        return str(row.holder) if row is not None and row.expires_at > now else None
