"""Self-assessment submissions and their ratings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coaching.model import Rating, RatingPoint, Submission
from bot.storage.orm import RatingRow, SubmissionRow, UserRow
from bot.storage.sql import insert_ignoring_conflict


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, ratings: Mapping[str, int], note: str | None, key: str | None, source: str,
            now: datetime) -> int | None:
        """Store a submission with all its ratings; None if `key` was already used by this user."""
        values = {"user_id": user_id, "submission_key": key, "note": note, "source": source, "created_at": now}
        submission_id = insert_ignoring_conflict(
            self.session, SubmissionRow.__table__, values, ["user_id", "submission_key"], returning="id")  # type: ignore[arg-type]
        if submission_id is None:
            return None
        # The cohort as it is now goes on each rating: trends group by it, never by a later move.
        cohort = self.session.scalar(select(UserRow.cohort).where(UserRow.id == user_id))
        self.session.add_all(
            RatingRow(submission_id=submission_id, user_id=user_id, attribute_id=attribute_id, rating=rating,
                      created_at=now, cohort=cohort)
            for attribute_id, rating in ratings.items()
        )
        self.session.flush()
        return int(submission_id)

    def by_key(self, user_id: str, key: str) -> Submission | None:
        row = self.session.scalar(
            select(SubmissionRow).where(SubmissionRow.user_id == user_id, SubmissionRow.submission_key == key))
        return self._submission(row) if row else None

    def get(self, submission_id: int) -> Submission | None:
        row = self.session.get(SubmissionRow, submission_id)
        return self._submission(row) if row else None

    def for_user(self, user_id: str) -> list[Submission]:
        rows = self.session.scalars(
            select(SubmissionRow).where(SubmissionRow.user_id == user_id).order_by(SubmissionRow.created_at,
                                                                                   SubmissionRow.id))
        ratings = self._ratings_by_submission(user_id)
        return [self._submission(r, ratings.get(r.id, ())) for r in rows]

    def history(self, user_id: str) -> list[RatingPoint]:
        """Every rating of the user, oldest first: the one query behind `history`."""
        rows = self.session.execute(
            select(RatingRow.submission_id, RatingRow.created_at, RatingRow.attribute_id, RatingRow.rating)
            .where(RatingRow.user_id == user_id).order_by(RatingRow.created_at, RatingRow.submission_id)
        )
        return [RatingPoint(r.submission_id, r.created_at, r.attribute_id, r.rating) for r in rows]

    def latest_ratings(self, user_id: str) -> dict[str, int]:
        latest = (
            select(RatingRow.attribute_id, func.max(RatingRow.id).label("id"))
            .where(RatingRow.user_id == user_id).group_by(RatingRow.attribute_id).subquery()
        )
        rows = self.session.execute(
            select(RatingRow.attribute_id, RatingRow.rating).join(latest, RatingRow.id == latest.c.id))
        return {r.attribute_id: r.rating for r in rows}

    def count(self, user_id: str | None = None) -> int:
        query = select(func.count()).select_from(SubmissionRow)
        if user_id is not None:
            query = query.where(SubmissionRow.user_id == user_id)
        return int(self.session.scalar(query) or 0)

    def _ratings_by_submission(self, user_id: str) -> dict[int, tuple[Rating, ...]]:
        grouped: dict[int, list[Rating]] = {}
        rows = self.session.execute(
            select(RatingRow.submission_id, RatingRow.attribute_id, RatingRow.rating)
            .where(RatingRow.user_id == user_id).order_by(RatingRow.id))
        for r in rows:
            grouped.setdefault(r.submission_id, []).append(Rating(r.attribute_id, r.rating))
        return {k: tuple(v) for k, v in grouped.items()}

    def _submission(self, row: SubmissionRow, ratings: tuple[Rating, ...] | None = None) -> Submission:
        if ratings is None:
            ratings = tuple(Rating(r.attribute_id, r.rating) for r in self.session.scalars(
                select(RatingRow).where(RatingRow.submission_id == row.id).order_by(RatingRow.id)))
        return Submission(id=row.id, user_id=row.user_id, created_at=row.created_at, ratings=ratings, note=row.note,
                          submission_key=row.submission_key, source=row.source)
