"""Cohort trends: the exact group figures of closed periods (computed in the database, so no person's row leaves
it) and the frozen published figures that are all a manager ever sees."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.coaching.trends_rules import COHORT, ENROLLED, EXERCISED, HEAD, ExactCell, PublishedCell
from bot.storage.orm import ExerciseSessionRow, RatingRow, TrendCellRow, TrendPeriodRow, UserRow
from bot.storage.sql import insert_ignoring_conflict


class TrendRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def exact_figures(self, start: datetime, end: datetime) -> list[ExactCell]:
        """For the period [start, end): people and the sum of their ratings per cohort and attribute, and per
        cohort the people who rated anything (attribute HEAD). Each person counts once per attribute, with their
        latest rating in the period, under the cohort recorded on that rating; their head count goes under the
        cohort of their latest rating of the period."""
        window = (RatingRow.created_at >= start, RatingRow.created_at < end)
        newest = (RatingRow.created_at.desc(), RatingRow.id.desc())
        latest = (
            select(RatingRow.cohort, RatingRow.attribute_id, RatingRow.rating,
                   func.row_number().over(partition_by=(RatingRow.user_id, RatingRow.attribute_id),
                                          order_by=newest).label("rank"))
            .where(*window)
        ).subquery()
        last = (
            select(RatingRow.user_id, RatingRow.cohort,
                   func.row_number().over(partition_by=RatingRow.user_id, order_by=newest).label("rank"))
            .where(*window)
        ).subquery()
        cells = self.session.execute(
            select(latest.c.cohort, latest.c.attribute_id, func.count(), func.sum(latest.c.rating))
            .where(latest.c.rank == 1).group_by(latest.c.cohort, latest.c.attribute_id))
        found = [ExactCell(cohort, attribute, int(people), int(total)) for cohort, attribute, people, total in cells]
        raters = {user: cohort for user, cohort in self.session.execute(
            select(last.c.user_id, last.c.cohort).where(last.c.rank == 1))}
        found += [ExactCell(cohort, HEAD, people, 0) for cohort, people in Counter(raters.values()).items()]
        return found + self._participation(raters, start, end)

    def _participation(self, raters: dict[str, str | None], start: datetime, end: datetime) -> list[ExactCell]:
        """Per cohort, the people enrolled (known by the period's end, or active in it) and those who finished an
        exercise in it. Someone who rated counts under the cohort of their latest rating of the period, as in the
        head count (so the people who rated are among the enrolled); anyone else under their cohort now, which is
        frozen with the period when it is published. Only counts leave this method."""
        exercised = set(self.session.scalars(select(ExerciseSessionRow.user_id).where(
            ExerciseSessionRow.finished_at >= start, ExerciseSessionRow.finished_at < end).distinct()))
        cohort_of = dict(raters)
        for user, cohort in self.session.execute(select(UserRow.id, UserRow.cohort).where(UserRow.created_at < end)):
            cohort_of.setdefault(user, cohort)
        if exercised - cohort_of.keys():  # active in the period though recorded as joining later
            late = select(UserRow.id, UserRow.cohort).where(UserRow.id.in_(exercised - cohort_of.keys()))
            cohort_of.update(dict(self.session.execute(late).tuples()))
        enrolled = Counter(cohort_of.values())
        did = Counter(cohort_of[user] for user in exercised if user in cohort_of)
        return ([ExactCell(cohort, ENROLLED, people, 0) for cohort, people in enrolled.items()]
                + [ExactCell(cohort, EXERCISED, people, 0) for cohort, people in did.items()])


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
        if cells:  # one executemany: a quarter of 200 cohorts is some 2,000 figures
            self.session.execute(insert(TrendCellRow), [
                {"period": label, "scope": c.scope, "cohort": c.cohort, "attribute_id": c.attribute_id,
                 "people": c.people, "mean": c.mean, "margin": c.margin} for c in cells])
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
