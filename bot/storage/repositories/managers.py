"""Which cohorts a programme manager is limited to, and what the transparency view needs: the groups a person's
ratings were counted in, and the periods published."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.orm import ManagerCohortRow, RatingRow, TrendPeriodRow, UserRow

MANAGER = "programme_manager"


class ManagerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def cohorts(self, user_id: str) -> frozenset[str]:
        """The cohorts `user_id` is limited to; empty: not limited (the whole programme)."""
        return frozenset(self.session.scalars(select(ManagerCohortRow.cohort)
                                              .where(ManagerCohortRow.user_id == user_id)))

    def assign(self, user_id: str, cohorts: Iterable[str], now: datetime) -> None:
        """Replace the manager's cohorts with `cohorts` (none: the whole programme)."""
        self.session.execute(delete(ManagerCohortRow).where(ManagerCohortRow.user_id == user_id))
        self.session.add_all(ManagerCohortRow(user_id=user_id, cohort=c, assigned_at=now) for c in sorted(set(cohorts)))
        self.session.flush()

    def managers(self) -> list[tuple[str, frozenset[str]]]:
        """Every programme manager and the cohorts they are limited to, by id."""
        ids = list(self.session.scalars(select(UserRow.id).where(UserRow.role == MANAGER).order_by(UserRow.id)))
        limits: dict[str, set[str]] = {}
        for user_id, cohort in self.session.execute(select(ManagerCohortRow.user_id, ManagerCohortRow.cohort)):
            limits.setdefault(user_id, set()).add(cohort)
        return [(i, frozenset(limits.get(i, ()))) for i in ids]

    def rated_groups(self, user_id: str) -> list[tuple[datetime, str, str | None]]:
        """(when, attribute, cohort recorded on the rating) for each of the person's ratings, oldest first."""
        rows = self.session.execute(
            select(RatingRow.created_at, RatingRow.attribute_id, RatingRow.cohort)
            .where(RatingRow.user_id == user_id).order_by(RatingRow.created_at, RatingRow.id))
        return [(r.created_at, r.attribute_id, r.cohort) for r in rows]

    def published_periods(self, start: datetime, end: datetime) -> list[tuple[str, datetime, datetime, datetime]]:
        """(label, starts, ends, published at) of the published periods sharing time with [start, end]."""
        rows = self.session.execute(
            select(TrendPeriodRow.label, TrendPeriodRow.starts_at, TrendPeriodRow.ends_at, TrendPeriodRow.published_at)
            .where(TrendPeriodRow.starts_at <= end, TrendPeriodRow.ends_at > start)
            .order_by(TrendPeriodRow.starts_at))
        return [(r.label, r.starts_at, r.ends_at, r.published_at) for r in rows]

