"""Cohort trends for programme managers: how groups rate themselves over time, never an individual.

Self-ratings are personal data of named public servants, so what leaves here is only group means and head
counts, under three rules:

- A cell (one group's mean for one attribute in one period) is shown only when at least `min_group` people
  rated that attribute then; a group's head count for a period only when at least that many rated anything.
- The all-participants row is shown only where the people hidden from the cohort rows number none or at
  least `min_group`: otherwise subtracting the shown cohorts from the total would single out the hidden few.
- The figures are computed inside the database: no user id, rating row or pseudonym reaches this module, only
  counts and sums per cohort, period and attribute. Means are rounded to one decimal place.

Each person counts once per period and attribute, with their latest rating in that period, under the cohort
they are in now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation
from bot.coaching.attributes import AttributeSet, attributes
from bot.errors import InvalidInputError, NotPermittedError

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

PERIODS: tuple[str, ...] = ("month", "quarter")
ALL_PARTICIPANTS = "All participants"
NO_COHORT = "No cohort set"
MAX_PERIODS = 24


@dataclass(frozen=True)
class AttributeSeries:
    attribute_id: str
    name: str
    means: tuple[float | None, ...]  # one per period; None where fewer than min_group people rated it

    @property
    def shown(self) -> list[tuple[int, float]]:
        return [(i, m) for i, m in enumerate(self.means) if m is not None]

    @property
    def change(self) -> float | None:
        """Latest shown mean minus the earliest shown one (None with fewer than two)."""
        shown = self.shown
        return round(shown[-1][1] - shown[0][1], 1) if len(shown) > 1 else None


@dataclass(frozen=True)
class GroupTrend:
    label: str  # a cohort label, NO_COHORT or ALL_PARTICIPANTS
    people: tuple[int | None, ...]  # per period; None where hidden
    attributes: tuple[AttributeSeries, ...]  # in attribute order; only attributes with a shown mean


@dataclass(frozen=True)
class CohortTrends:
    period: str
    periods: tuple[str, ...]  # labels, oldest first, e.g. "2026-11" or "2026-Q4"
    min_group: int
    groups: tuple[GroupTrend, ...]  # all participants first (when shown), then cohorts by label
    hidden_groups: int  # cohorts with ratings in the window that were never large enough to show

    def group(self, label: str) -> GroupTrend:
        return next(g for g in self.groups if g.label == label)


def cohort_trends(uow: SqlUnitOfWork, *, min_group: int, period: str = "month", periods: int = 6,
                  cohort: str | None = None, now: datetime | None = None,
                  attribute_set: AttributeSet | None = None) -> CohortTrends:
    """Trends over the last `periods` months or quarters (the current one included), for every cohort or one."""
    if period not in PERIODS:
        raise InvalidInputError(f"period must be one of {', '.join(PERIODS)}.", field="period")
    if not 1 <= periods <= MAX_PERIODS:
        raise InvalidInputError(f"periods must be between 1 and {MAX_PERIODS}.", field="periods")
    if min_group < 2:
        raise InvalidInputError("min_group must be at least 2: a group of one is an individual.", field="min_group")
    cohort = validation.cohort(cohort) if cohort else None
    attribute_set = attribute_set or attributes()
    starts = _period_starts(now or datetime.now(UTC), period, periods + 1)  # the last one ends the window
    with uow:
        cell_rows, head_rows = uow.assessments.cohort_figures(starts, cohort)
    cells: dict[str, dict[tuple[int, str], Cell]] = {}
    heads: dict[str, dict[int, int]] = {}
    for label, slot, attribute_id, people, total in cell_rows:
        cells.setdefault(label or NO_COHORT, {})[(slot, attribute_id)] = Cell(people, total)
    for label, slot, people in head_rows:
        heads.setdefault(label or NO_COHORT, {})[slot] = people
    order = list(attribute_set.ids)
    order += sorted({a for group in cells.values() for _, a in group} - set(order))
    names = {a.id: a.name for a in attribute_set.attributes}
    shape = _Shape(periods, order, names, min_group)
    groups: list[GroupTrend] = []
    hidden_groups = 0
    for label in sorted(heads):
        trend = shape.group(label, cells.get(label, {}), heads[label])
        if any(n is not None for n in trend.people):
            groups.append(trend)
        else:
            hidden_groups += 1
    if cohort is None and len(heads) > 1:  # with one cohort the total would only repeat it
        overall = shape.overall(cells, heads)
        if any(n is not None for n in overall.people):
            groups.insert(0, overall)
    labels = tuple(_period_label(start, period) for start in starts[:-1])
    return CohortTrends(period, labels, min_group, tuple(groups), hidden_groups)


@dataclass(frozen=True)
class Cell:
    people: int
    total: int  # the sum of their ratings


@dataclass(frozen=True)
class _Shape:
    """What every group's table shares: the number of periods, attribute order and names, the threshold."""

    periods: int
    order: list[str]
    names: dict[str, str]
    min_group: int

    def group(self, label: str, cells: dict[tuple[int, str], Cell], heads: dict[int, int],
              hidden: dict[tuple[int, str | None], int] | None = None) -> GroupTrend:
        def shown(count: int, slot: int, attribute_id: str | None) -> bool:
            concealed = (hidden or {}).get((slot, attribute_id), 0)
            return count >= self.min_group and (concealed == 0 or concealed >= self.min_group)

        people = tuple(heads.get(s, 0) if shown(heads.get(s, 0), s, None) else None for s in range(self.periods))
        series = []
        for attribute_id in self.order:
            means = []
            for slot in range(self.periods):
                cell = cells.get((slot, attribute_id), Cell(0, 0))
                ok = people[slot] is not None and shown(cell.people, slot, attribute_id)
                means.append(round(cell.total / cell.people, 1) if ok else None)
            if any(m is not None for m in means):
                series.append(AttributeSeries(attribute_id, self.names.get(attribute_id, attribute_id), tuple(means)))
        return GroupTrend(label, people, tuple(series))

    def overall(self, cells: dict[str, dict[tuple[int, str], Cell]], heads: dict[str, dict[int, int]]) -> GroupTrend:
        """Everyone together (each person is in one cohort, so counts and sums add up)."""
        merged_cells: dict[tuple[int, str], Cell] = {}
        merged_heads: dict[int, int] = {}
        # hidden[(slot, attribute or None)]: people in the total whose cohort figure is not shown.
        hidden: dict[tuple[int, str | None], int] = {}
        for group in heads.values():
            for slot, people in group.items():
                merged_heads[slot] = merged_heads.get(slot, 0) + people
                if people < self.min_group:
                    hidden[(slot, None)] = hidden.get((slot, None), 0) + people
        for label, group_cells in cells.items():
            for (slot, attribute_id), cell in group_cells.items():
                known = merged_cells.get((slot, attribute_id), Cell(0, 0))
                merged_cells[(slot, attribute_id)] = Cell(known.people + cell.people, known.total + cell.total)
                if heads[label].get(slot, 0) < self.min_group or cell.people < self.min_group:
                    hidden[(slot, attribute_id)] = hidden.get((slot, attribute_id), 0) + cell.people
        return self.group(ALL_PARTICIPANTS, merged_cells, merged_heads, hidden)


def _period_label(when: datetime, period: str) -> str:
    when = when.astimezone(UTC)
    return f"{when.year}-{when.month:02d}" if period == "month" else f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def _period_starts(now: datetime, period: str, count: int) -> list[datetime]:
    """The starts of `count` consecutive periods, the second last being the one `now` is in."""
    now = now.astimezone(UTC)
    step = 1 if period == "month" else 3
    month = now.year * 12 + now.month - 1
    month -= month % 3 if period == "quarter" else 0
    months = [month - step * i for i in range(count - 2, -2, -1)]
    return [datetime(m // 12, m % 12 + 1, 1, tzinfo=UTC) for m in months]


def trends_for_manager(uow: SqlUnitOfWork, viewer: str, *, min_group: int,
                       period: str = "month", periods: int = 6, cohort: str | None = None,
                       now: datetime | None = None, actor: str | None = None) -> CohortTrends:
    """The trends `viewer` may see, with the view audited; NotPermittedError unless they are a programme manager
    (`coach people set USER --role programme_manager`). `actor`: who looked on the viewer's behalf (an operator
    at the CLI), else the viewer."""
    with uow:
        user = uow.users.get(viewer)
    if user is None or user.role != "programme_manager":
        raise NotPermittedError("Cohort trends are for programme managers only. An administrator can give the "
                                "role with `coach people set USER --role programme_manager`.")
    trends = cohort_trends(uow, min_group=min_group, period=period, periods=periods, cohort=cohort,
                           now=now)
    record_trends_view(uow, viewer, trends, now=now, actor=actor)
    return trends


def record_trends_view(uow: SqlUnitOfWork, viewer: str, trends: CohortTrends, *, now: datetime | None = None,
                       actor: str | None = None) -> None:
    """Audit who looked at which groups' trends (accountability under UK GDPR); part of the viewer's data."""
    detail = {"period": trends.period, "from": trends.periods[0], "to": trends.periods[-1],
              "groups": [g.label for g in trends.groups]}
    with uow:
        uow.audit.record(viewer, "trends_viewed", now or datetime.now(UTC), detail=json.dumps(detail), actor=actor)
        uow.commit()


def signed(change: float | None) -> str:
    if change is None:
        return ""
    return f"+{change:.1f}" if change > 0 else ("±0.0" if change == 0 else f"{change:.1f}")
