"""Demo data in bulk: whether real people are present, loading a synthetic programme, removing it again."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, func, insert, not_, select

from bot.storage.orm import (
    AuditRow,
    ExerciseSessionRow,
    RatingRow,
    ReflectionRow,
    SubmissionRow,
    TrendCellRow,
    TrendPeriodRow,
    UserRow,
)
from bot.storage.repositories.personal_data import user_tables

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.coaching.demo_data import DemoProgramme

BATCH = 5_000


class DemoRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def real_people(self, prefix: str) -> int:
        return int(self.session.scalar(select(func.count()).select_from(UserRow)
                                       .where(not_(UserRow.id.startswith(prefix, autoescape=True)))) or 0)

    def remove(self, prefix: str) -> dict[str, int]:
        """Delete the demo people's rows everywhere, and the published periods in which nobody else rated (their
        figures were made of demo data only; periods real people rated in stay frozen)."""
        demo = RatingRow.user_id.startswith(prefix, autoescape=True)
        real_in_period = exists().where(not_(demo), RatingRow.created_at >= TrendPeriodRow.starts_at,
                                        RatingRow.created_at < TrendPeriodRow.ends_at)
        periods = list(self.session.scalars(select(TrendPeriodRow.label).where(~real_in_period)))
        counts = {"trend_cells": self._count(delete(TrendCellRow).where(TrendCellRow.period.in_(periods))),
                  "trend_periods": self._count(delete(TrendPeriodRow).where(TrendPeriodRow.label.in_(periods)))}
        for table in user_tables():
            counts[table.name] = self._count(delete(table).where(table.c.user_id.startswith(prefix, autoescape=True)))
        counts["audit_log"] = self._count(delete(AuditRow).where(AuditRow.subject.startswith(prefix, autoescape=True)))
        counts["users"] = self._count(delete(UserRow).where(UserRow.id.startswith(prefix, autoescape=True)))
        return {k: v for k, v in counts.items() if v}

    def add(self, programme: DemoProgramme, now: datetime) -> None:
        self.session.execute(insert(UserRow), [
            {"id": p.id, "created_at": p.joined, "timezone": "Europe/London", "cohort": p.cohort, "role": "officer"}
            for p in programme.people])
        subs = programme.submissions
        for first in range(0, len(subs), BATCH):
            batch = subs[first:first + BATCH]
            ids = self.session.scalars(
                insert(SubmissionRow).returning(SubmissionRow.id, sort_by_parameter_order=True),
                [{"user_id": s.user_id, "submission_key": None, "note": None, "source": "demo", "created_at": s.when}
                 for s in batch]).all()
            self.session.execute(insert(RatingRow), [
                {"submission_id": i, "user_id": s.user_id, "attribute_id": a, "rating": r, "created_at": s.when,
                 "cohort": s.cohort} for i, s in zip(ids, batch, strict=True) for a, r in s.ratings.items()])
        sessions = programme.sessions
        if not sessions:
            return
        ids = self.session.scalars(
            insert(ExerciseSessionRow).returning(ExerciseSessionRow.id, sort_by_parameter_order=True),
            [{"user_id": s.user_id, "exercise_id": s.exercise_id, "current_step": len(s.answers), "status": s.status,
              "started_at": s.started, "updated_at": s.started,
              "finished_at": s.started if s.status == "finished" else None} for s in sessions]).all()
        rows = [{"user_id": s.user_id, "session_id": i, "exercise_id": s.exercise_id, "step_id": step,
                 "prompt": prompt, "answer": answer, "rating": rating, "created_at": s.started, "updated_at": s.started}
                for i, s in zip(ids, sessions, strict=True) for step, prompt, answer, rating in s.answers]
        if rows:
            self.session.execute(insert(ReflectionRow), rows)

    def _count(self, statement: object) -> int:
        return int(self.session.execute(statement).rowcount)  # type: ignore[call-overload]


