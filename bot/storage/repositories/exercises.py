"""Exercise sessions in progress and the reflections (answers) given in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.coaching.model import ExerciseSession, Reflection
from bot.storage.orm import ExerciseSessionRow, ReflectionRow


def _session(row: ExerciseSessionRow) -> ExerciseSession:
    return ExerciseSession(id=row.id, user_id=row.user_id, exercise_id=row.exercise_id,
                           current_step=row.current_step, status=row.status, started_at=row.started_at,
                           updated_at=row.updated_at, finished_at=row.finished_at)


def _reflection(row: ReflectionRow) -> Reflection:
    return Reflection(id=row.id, user_id=row.user_id, session_id=row.session_id, exercise_id=row.exercise_id,
                      step_id=row.step_id, prompt=row.prompt, answer=row.answer, rating=row.rating,
                      created_at=row.created_at, updated_at=row.updated_at)


class ExerciseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def active_session(self, user_id: str, exercise_id: str | None = None) -> ExerciseSession | None:
        """The user's most recently touched unfinished session (of `exercise_id`, if given)."""
        query = select(ExerciseSessionRow).where(ExerciseSessionRow.user_id == user_id,
                                                 ExerciseSessionRow.status == "active")
        if exercise_id is not None:
            query = query.where(ExerciseSessionRow.exercise_id == exercise_id)
        row = self.session.scalar(query.order_by(ExerciseSessionRow.updated_at.desc(), ExerciseSessionRow.id.desc()))
        return _session(row) if row else None

    def get_session(self, session_id: int, *, for_update: bool = False) -> ExerciseSession | None:
        query = select(ExerciseSessionRow).where(ExerciseSessionRow.id == session_id)
        if for_update:
            query = query.with_for_update()  # two clicks on one step: the second waits, then sees the first
        row = self.session.scalar(query)
        return _session(row) if row else None

    def start(self, user_id: str, exercise_id: str, now: datetime) -> ExerciseSession:
        row = ExerciseSessionRow(user_id=user_id, exercise_id=exercise_id, current_step=0, status="active",
                                 started_at=now, updated_at=now)
        self.session.add(row)
        self.session.flush()
        return _session(row)

    def record_answer(self, session: ExerciseSession, step_id: str, prompt: str, answer: str | None,
                      rating: int | None, now: datetime) -> None:
        """The answer to a step; one answered again (after going back) replaces the earlier one."""
        self.remove_answer(session.id, step_id)
        self.session.add(ReflectionRow(
            user_id=session.user_id, session_id=session.id, exercise_id=session.exercise_id, step_id=step_id,
            prompt=prompt, answer=answer, rating=rating, created_at=now, updated_at=now))

    def remove_answer(self, session_id: int, step_id: str) -> None:
        self.session.execute(delete(ReflectionRow).where(ReflectionRow.session_id == session_id,
                                                         ReflectionRow.step_id == step_id))

    def advance(self, session_id: int, current_step: int, status: str, now: datetime) -> None:
        self.session.execute(update(ExerciseSessionRow).where(ExerciseSessionRow.id == session_id).values(
            current_step=current_step, status=status, updated_at=now,
            finished_at=now if status == "finished" else None))
        self.session.flush()

    def answers(self, session_id: int) -> list[Reflection]:
        rows = self.session.scalars(
            select(ReflectionRow).where(ReflectionRow.session_id == session_id).order_by(ReflectionRow.id))
        return [_reflection(r) for r in rows]

    def reflections(self, user_id: str) -> list[Reflection]:
        rows = self.session.scalars(
            select(ReflectionRow).where(ReflectionRow.user_id == user_id).order_by(ReflectionRow.id))
        return [_reflection(r) for r in rows]

    def sessions(self, user_id: str) -> list[ExerciseSession]:
        rows = self.session.scalars(
            select(ExerciseSessionRow).where(ExerciseSessionRow.user_id == user_id).order_by(ExerciseSessionRow.id))
        return [_session(r) for r in rows]

    def last_done(self, user_id: str) -> dict[str, datetime]:
        """When the user last worked on each exercise (started, finished or not)."""
        rows = self.session.execute(
            select(ExerciseSessionRow.exercise_id, func.max(ExerciseSessionRow.updated_at).label("at"))
            .where(ExerciseSessionRow.user_id == user_id).group_by(ExerciseSessionRow.exercise_id))
        return {r.exercise_id: r.at for r in rows}
