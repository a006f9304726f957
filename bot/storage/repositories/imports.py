"""Earlier ratings imported from a file: what an earlier import already stored, and the rows added in bulk."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.storage.orm import AuditRow, RatingRow, SubmissionRow, UserRow

CHUNK = 900  # ids per IN (...): well under SQLite's and PostgreSQL's parameter limits


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for first in range(0, len(ordered), CHUNK):
        yield ordered[first:first + CHUNK]


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def imported(self, people: Collection[str], prefix: str) -> dict[tuple[str, str], tuple[int, dict[str, int]]]:
        """(person, submission key) -> (submission id, {attribute: rating}) for their submissions keyed `prefix…`."""
        found: dict[tuple[str, str], tuple[int, dict[str, int]]] = {}
        for chunk in _chunks(people):
            rows = self.session.execute(
                select(SubmissionRow.id, SubmissionRow.user_id, SubmissionRow.submission_key, RatingRow.attribute_id,
                       RatingRow.rating)
                .join(RatingRow, RatingRow.submission_id == SubmissionRow.id, isouter=True)
                .where(SubmissionRow.user_id.in_(chunk), SubmissionRow.submission_key.startswith(prefix,
                                                                                                 autoescape=True)))
            for row in rows:
                _, ratings = found.setdefault((row.user_id, row.submission_key), (row.id, {}))
                if row.attribute_id is not None:
                    ratings[row.attribute_id] = row.rating
        return found

    def known(self, people: Collection[str]) -> set[str]:
        return {i for chunk in _chunks(people) for i in self.session.scalars(select(UserRow.id)
                                                                             .where(UserRow.id.in_(chunk)))}

    def erased(self, aliases: Collection[str]) -> dict[str, datetime]:
        """Pseudonym -> when, for those among `aliases` whose erasure is on record."""
        found: dict[str, datetime] = {}
        for chunk in _chunks(aliases):
            for subject, at in self.session.execute(select(AuditRow.subject, AuditRow.created_at)
                                                    .where(AuditRow.subject.in_(chunk), AuditRow.action == "erasure")):
                found[subject] = at
        return found

    def add_users(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.session.execute(insert(UserRow), list(rows))

    def add_submissions(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        return list(self.session.scalars(
            insert(SubmissionRow).returning(SubmissionRow.id, sort_by_parameter_order=True), list(rows)).all())

    def add_ratings(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:  # Core, not the ORM's bulk insert: a 100,000-row import spends its time here
            self.session.execute(insert(RatingRow.__table__), list(rows))  # type: ignore[arg-type]
