"""Cohort trends: the exact group figures of closed periods (computed in the database, so no person's row leaves
it) and the frozen published figures that are all a manager ever sees."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, Subquery, case, func, or_, select, text, type_coerce
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from bot.coaching.trends_rules import COHORT, ENROLLED, EXERCISED, HEAD, ExactCell, PublishedCell
from bot.storage.orm import ExerciseSessionRow, RatingRow, TrendCellRow, TrendPeriodRow, UserRow
from bot.storage.sql import insert_ignoring_conflict, insert_rows


class TrendRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def exact_figures(self, start: datetime, end: datetime) -> list[ExactCell]:
        """For the period [start, end): people and the sum of their ratings per cohort and attribute, and per
        cohort the people who rated anything (attribute HEAD). Each person counts once per attribute, with their
        latest rating in the period, under the cohort recorded on that rating; their head count goes under the
        cohort of their latest rating of the period. Two grouped queries; only counts and sums leave them."""
        window = (RatingRow.created_at >= start, RatingRow.created_at < end)
        latest = self._latest(window, RatingRow.user_id, RatingRow.attribute_id)
        cells = self.session.execute(
            select(latest.c.cohort, latest.c.attribute_id, func.count(), func.sum(latest.c.rating))
            .group_by(latest.c.cohort, latest.c.attribute_id))
        found = [ExactCell(cohort, attribute, int(people), int(total)) for cohort, attribute, people, total in cells]
        return found + self._participation(self._latest(window, RatingRow.user_id), start, end)

    def _latest(self, window: tuple[ColumnElement[bool], ...], *keys: Any) -> Subquery:
        """The rating rows in `window` that are the latest (by time, then id) for each value of `keys`, with their
        user, cohort, attribute and rating. Each backend gets the form it runs fastest: a window function sorts
        every row and then numbers it, which on a quarter of a million ratings costs twice the sort itself."""
        columns = (RatingRow.user_id, RatingRow.cohort, RatingRow.attribute_id, RatingRow.rating)
        if self.session.get_bind().dialect.name == "sqlite":
            # SQLite takes a row's other columns from the row where the one max() is reached (a documented
            # guarantee); its timestamps are fixed-width text, so time then a zero-padded id orders like (time, id).
            newest = func.max(type_coerce(RatingRow.created_at, String) + func.printf("%020d", RatingRow.id))
            return select(*columns, newest.label("newest")).where(*window).group_by(*keys).subquery()
        # PostgreSQL: DISTINCT ON keeps the first row of each key in this order; comparing ids as bytes ("C")
        # rather than by the locale's rules makes the sort several times cheaper and groups them the same way.
        order = [key.collate("C") for key in keys]
        return (select(*columns).where(*window).ext(distinct_on(*order))
                .order_by(*order, RatingRow.created_at.desc(), RatingRow.id.desc()).subquery())

    def _participation(self, raters: Subquery, start: datetime, end: datetime) -> list[ExactCell]:
        """Per cohort, the people who rated (HEAD), those enrolled (known by the period's end, or active in it) and
        those who finished an exercise in it. Someone who rated counts under the cohort of their latest rating of the
        period (`raters`), so the people who rated are among the enrolled; anyone else under their cohort now, which
        is frozen with the period when it is published. One grouped query over the people."""
        exercised = (select(ExerciseSessionRow.user_id).where(
            ExerciseSessionRow.finished_at >= start, ExerciseSessionRow.finished_at < end).distinct().subquery())
        rated = raters.c.user_id.is_not(None)
        cohort = case((rated, raters.c.cohort), else_=UserRow.cohort).label("cohort")
        rows = self.session.execute(
            select(cohort, func.count(raters.c.user_id), func.count(), func.count(exercised.c.user_id))
            .select_from(UserRow)
            .outerjoin(raters, raters.c.user_id == UserRow.id)
            .outerjoin(exercised, exercised.c.user_id == UserRow.id)
            .where(or_(UserRow.created_at < end, rated, exercised.c.user_id.is_not(None)))
            .group_by(cohort))
        found = []
        for cohort_name, heads, enrolled, did in rows:
            found += [ExactCell(cohort_name, column, int(people), 0)
                      for column, people in ((HEAD, heads), (ENROLLED, enrolled), (EXERCISED, did)) if people]
        return found

    def sort_in_memory(self) -> None:
        """For the rest of this transaction, let PostgreSQL sort in memory what freezing sorts: its default 4 MB
        per sort spills a quarter's ratings to disk. SQLite sorts in memory."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL work_mem = '64MB'"))

    def ratings_in(self, start: datetime, end: datetime) -> int:
        """How many ratings fall in [start, end) (read from the index on their time alone)."""
        return self.session.scalar(select(func.count()).select_from(RatingRow).where(
            RatingRow.created_at >= start, RatingRow.created_at < end)) or 0

    def published_labels(self, labels: Sequence[str]) -> set[str]:
        return set(self.session.scalars(select(TrendPeriodRow.label).where(TrendPeriodRow.label.in_(labels))))

    def overlapping(self, label: str, start: datetime, end: datetime) -> list[str]:
        """Published periods other than `label` that share time with [start, end): a month inside a published
        quarter, say. Publishing it too would let one be subtracted from the other."""
        return list(self.session.scalars(select(TrendPeriodRow.label).where(
            TrendPeriodRow.label != label, TrendPeriodRow.starts_at < end, TrendPeriodRow.ends_at > start)))

    def publish(self, label: str, granularity: str, start: datetime, end: datetime, cells: Sequence[PublishedCell],
                *, min_group: int, epsilon: float, now: datetime) -> bool:
        """Freeze a period's figures; False (nothing written) if it was already published, e.g. by a concurrent
        view: the first publication stands."""
        claimed = insert_ignoring_conflict(self.session, TrendPeriodRow.__table__, {  # type: ignore[arg-type]
            "label": label, "granularity": granularity, "starts_at": start, "ends_at": end, "min_group": min_group,
            "epsilon": epsilon, "published_at": now}, ["label"], returning="label")
        if claimed is None:
            return False
        rows = [{"period": label, "scope": c.scope, "cohort": c.cohort, "attribute_id": c.attribute_id,
                 "people": c.people, "mean": c.mean, "margin": c.margin} for c in cells]
        insert_rows(self.session, TrendCellRow.__table__, rows)  # type: ignore[arg-type]  # a quarter: ~2,000 figures
        return True

    def cells(self, labels: Sequence[str], cohort: str | None = None) -> dict[str, list[PublishedCell]]:
        """The published figures of these periods; with `cohort`, only that cohort's."""
        cell = TrendCellRow
        query = (select(cell.period, cell.scope, cell.cohort, cell.attribute_id, cell.people, cell.mean, cell.margin)
                 .where(cell.period.in_(labels)))
        if cohort is not None:
            query = query.where(cell.scope == COHORT, cell.cohort == cohort)
        found: dict[str, list[PublishedCell]] = {}
        for row in self.session.execute(query.order_by(cell.id)):  # plain rows: no ORM objects to build
            found.setdefault(row.period, []).append(
                PublishedCell(row.scope, row.cohort, row.attribute_id, row.people, row.mean, row.margin))
        return found
