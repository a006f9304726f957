"""Commitments: what people said they would do, and how it went."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.coaching.model import Commitment
from bot.storage.orm import CommitmentRow
from bot.storage.sql import insert_ignoring_conflict


def _commitment(row: CommitmentRow) -> Commitment:
    return Commitment(id=row.id, user_id=row.user_id, what=row.what, created_at=row.created_at,
                      updated_at=row.updated_at, exercise_id=row.exercise_id, session_id=row.session_id,
                      due_on=row.due_on, with_whom=row.with_whom, status=row.status,
                      followed_up_at=row.followed_up_at, outcome_at=row.outcome_at)


class CommitmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, what: str, now: datetime, *, due_on: date | None = None,
            with_whom: str | None = None, exercise_id: str | None = None,
            session_id: int | None = None) -> Commitment | None:
        """The new commitment; None when this exercise session already has one (a repeated submission)."""
        values = {"user_id": user_id, "what": what, "due_on": due_on, "with_whom": with_whom,
                  "exercise_id": exercise_id, "session_id": session_id, "status": "open", "created_at": now,
                  "updated_at": now}
        new_id = insert_ignoring_conflict(self.session, CommitmentRow.__table__, values,  # type: ignore[arg-type]
                                          ["user_id", "session_id"], "id")
        return None if new_id is None else self.get(user_id, int(new_id))

    def get(self, user_id: str, commitment_id: int) -> Commitment | None:
        row = self.session.scalar(select(CommitmentRow).where(CommitmentRow.id == commitment_id,
                                                              CommitmentRow.user_id == user_id))
        return _commitment(row) if row else None

    def for_user(self, user_id: str) -> list[Commitment]:
        rows = self.session.scalars(select(CommitmentRow).where(CommitmentRow.user_id == user_id)
                                    .order_by(CommitmentRow.created_at, CommitmentRow.id))
        return [_commitment(r) for r in rows]

    def update(self, user_id: str, commitment_id: int, **fields: Any) -> bool:
        c = CommitmentRow
        result = self.session.execute(update(c).where(c.id == commitment_id, c.user_id == user_id).values(**fields)
                                      .execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def delete(self, user_id: str, commitment_id: int) -> bool:
        c = CommitmentRow
        result = self.session.execute(delete(c).where(c.id == commitment_id, c.user_id == user_id)
                                      .execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]
