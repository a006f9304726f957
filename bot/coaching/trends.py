"""Cohort trends for programme managers: how groups rate themselves over time, never an individual.

Self-ratings are personal data of named public servants. What a manager sees must not give away any one
person's rating however many views they combine over time, so (docs/trends-anonymity.md has the reasoning):

- Only closed periods are shown, each published once as a frozen snapshot (`trend_periods`, `trend_cells`):
  every later view of it, before or after anyone joins, leaves, re-rates or is erased, shows the same figures.
- One granularity per deployment (COACH_TRENDS_PERIOD, quarterly by default), and a period that overlaps one
  already published (a month inside a published quarter) is never published.
- Each rating counts under the cohort recorded on it when it was given, so a move between cohorts changes
  nothing already rated.
- Within a period the rules in trends_rules.py apply: a floor of 5 people that settings cannot lower,
  complementary suppression, the two-segment rule for the total, and calibrated noise on every mean.

The figures are computed inside the database: no user id, rating row or pseudonym reaches this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation
from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.trends_noise import LaplaceNoise
from bot.coaching.trends_rules import ALL, COHORT, ENROLLED, EXERCISED, HEAD, NONE, Noise, PublishedCell, publishable
from bot.errors import CohortNotAssignedError, InvalidInputError, NotPermittedError

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

PERIODS: tuple[str, ...] = ("month", "quarter")
ALL_PARTICIPANTS = "All participants"
NO_COHORT = "No cohort set"
MAX_PERIODS = 24
MIN_GROUP_FLOOR = 5  # below this no setting may go: with k−1 others pooling, small groups are too easy
# The most ratings a manager's view freezes itself (a Slack request must not wait for more): about two quarters of
# 10,000 people rating every nine weeks. The quarter that closed since the scheduler last ran is within it; a
# backlog (a first deployment over years of imported ratings, a change of granularity) is left to the scheduler,
# which freezes closed periods every minute, and shows once it has.
VIEW_FREEZES_AT_MOST = 300_000


@dataclass(frozen=True)
class AttributeSeries:
    attribute_id: str
    name: str
    means: tuple[float | None, ...]  # one per period; None where not published
    margins: tuple[float | None, ...] = ()  # ± around each mean within which about 95% of its noise falls
    people: tuple[int | None, ...] = ()  # how many people stand behind each mean

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
    people: tuple[int | None, ...]  # per period; None where not published
    attributes: tuple[AttributeSeries, ...]  # in attribute order; only attributes with a published mean
    enrolled: tuple[int | None, ...] = ()  # per period: people enrolled by its end; None where not published
    exercised: tuple[int | None, ...] = ()  # per period: people who finished an exercise in it

    def participation(self, slot: int) -> Participation:
        """The published participation of one period, with percentages only where both counts were published."""
        enrolled = self.enrolled[slot] if self.enrolled else None
        exercised = self.exercised[slot] if self.exercised else None
        return Participation(enrolled, self.people[slot], exercised)


@dataclass(frozen=True)
class Participation:
    enrolled: int | None
    rated: int | None
    exercised: int | None

    @property
    def rated_share(self) -> int | None:
        return _percent(self.rated, self.enrolled)

    @property
    def exercised_share(self) -> int | None:
        return _percent(self.exercised, self.enrolled)


def _percent(part: int | None, whole: int | None) -> int | None:
    return round(100 * part / whole) if part is not None and whole else None


@dataclass(frozen=True)
class CohortTrends:
    period: str
    periods: tuple[str, ...]  # closed periods, oldest first, e.g. "2026-Q3" or "2026-11"
    min_group: int
    groups: tuple[GroupTrend, ...]  # all participants first (when shown), cohorts by label, then no cohort
    epsilon: float = 0.0  # the noise's privacy parameter per rating (see trends_noise.py)
    pending: tuple[str, ...] = ()  # closed periods not yet frozen, left to the scheduler: nothing shown for them

    def group(self, label: str) -> GroupTrend:
        return next(g for g in self.groups if g.label == label)


def cohort_trends(uow: SqlUnitOfWork, *, min_group: int, period: str = "quarter", periods: int = 4,
                  cohort: str | None = None, now: datetime | None = None,
                  attribute_set: AttributeSet | None = None, noise: Noise | None = None,
                  limit_to: frozenset[str] | None = None, freeze_at_most: int | None = None) -> CohortTrends:
    """Trends over the last `periods` closed months or quarters, for every cohort or one; closed periods not yet
    published are published (frozen) first, unless together they hold more than `freeze_at_most` ratings: then
    none of them is, and they are listed as pending (the scheduler freezes them). `limit_to`: only these cohorts'
    figures (a manager limited to them sees no all-participants figure, which includes other cohorts)."""
    if period not in PERIODS:
        raise InvalidInputError(f"period must be one of {', '.join(PERIODS)}.", field="period")
    if not 1 <= periods <= MAX_PERIODS:
        raise InvalidInputError(f"periods must be between 1 and {MAX_PERIODS}.", field="periods")
    if min_group < MIN_GROUP_FLOOR:
        raise InvalidInputError(f"min_group must be at least {MIN_GROUP_FLOOR}: smaller groups cannot be kept "
                                "anonymous.", field="min_group")
    cohort = validation.cohort(cohort) if cohort else None
    noise = noise or LaplaceNoise()
    now = now or datetime.now(UTC)
    bounds = closed_period_bounds(now, period, periods)
    labels = [period_label(start, period) for start in bounds[:-1]]
    with uow:
        pending = _publish_missing(uow, labels, bounds, period, min_group, noise, now, freeze_at_most)
        uow.commit()
        cells = uow.trends.cells(labels, cohort)
    if limit_to is not None:
        cells = {label: [c for c in found if c.scope == COHORT and c.cohort in limit_to]
                 for label, found in cells.items()}
    found = _assemble(period, labels, min_group, noise.epsilon, cells, attribute_set or attributes())
    return replace(found, pending=pending)


def publish_closed_periods(uow: SqlUnitOfWork, *, min_group: int, period: str, noise: Noise,
                           now: datetime | None = None, periods: int = 8) -> None:
    """Freeze every closed period of the last `periods` not yet published. The scheduler calls this, so a quarter
    is frozen once, soon after it closes, and the manager who looks first does not wait for it (a backlog of
    quarters over a million ratings takes seconds). Publishes exactly what a first view would."""
    now = now or datetime.now(UTC)
    bounds = closed_period_bounds(now, period, periods)
    with uow:
        _publish_missing(uow, [period_label(start, period) for start in bounds[:-1]], bounds, period, min_group,
                         noise, now)
        uow.commit()


def _publish_missing(uow: SqlUnitOfWork, labels: list[str], bounds: list[datetime], period: str, min_group: int,
                     noise: Noise, now: datetime, freeze_at_most: int | None = None) -> tuple[str, ...]:
    """Freeze the periods of `labels` not yet published; the labels left unfrozen because together they hold more
    than `freeze_at_most` ratings."""
    published = uow.trends.published_labels(labels)
    todo = [i for i, label in enumerate(labels) if label not in published
            and not uow.trends.overlapping(label, bounds[i], bounds[i + 1])]
    if not todo:
        return ()
    spans = [(bounds[i], bounds[i + 1]) for i in todo]
    if freeze_at_most is not None and sum(uow.trends.ratings_in(*span) for span in spans) > freeze_at_most:
        return tuple(labels[i] for i in todo)
    uow.trends.sort_in_memory()
    # One period at a time: measured on a million ratings, one grouped query over all eight quarters at once (each
    # row numbered with its quarter) was no faster on PostgreSQL and 40-100% slower on SQLite, whose sorts of a
    # quarter's rows stay small; covering indexes gained SQLite about a tenth, not worth a migration.
    for i, span in zip(todo, spans, strict=True):
        exact = uow.trends.exact_figures(*span)
        if not exact:  # nobody rated: nothing to freeze, and ratings added later (an import) may still show
            continue
        cells = publishable(exact, min_group=min_group, noise=noise)
        uow.trends.publish(labels[i], period, bounds[i], bounds[i + 1], cells, min_group=min_group,
                           epsilon=noise.epsilon, now=now)
    return ()


def _assemble(period: str, labels: list[str], min_group: int, epsilon: float,
              cells: dict[str, list[PublishedCell]], attribute_set: AttributeSet) -> CohortTrends:
    slots = {label: i for i, label in enumerate(labels)}
    counts: dict[str, dict[tuple[str, str], dict[int, int]]] = {HEAD: {}, ENROLLED: {}, EXERCISED: {}}
    means: dict[tuple[str, str], dict[str, dict[int, tuple[float, float | None, int]]]] = {}
    for label, published in cells.items():
        for c in published:
            key = (c.scope, c.cohort)
            if c.attribute_id in counts:
                counts[c.attribute_id].setdefault(key, {})[slots[label]] = c.people
            elif c.mean is not None:
                means.setdefault(key, {}).setdefault(c.attribute_id, {})[slots[label]] = (c.mean, c.margin, c.people)
    order = list(attribute_set.ids)
    order += sorted({a for group in means.values() for a in group} - set(order))
    names = {a.id: a.name for a in attribute_set.attributes}
    groups = []
    heads = counts[HEAD]
    for key in sorted(set(heads) | set(means) | set(counts[ENROLLED]), key=lambda k: (k[0] != ALL, k[0] == NONE, k[1])):
        scope, cohort = key
        label = ALL_PARTICIPANTS if scope == ALL else NO_COHORT if scope == NONE else cohort
        series = []
        for attribute_id in order:
            found = means.get(key, {}).get(attribute_id)
            if found:
                figures = [found.get(s) for s in range(len(labels))]
                series.append(AttributeSeries(
                    attribute_id, names.get(attribute_id, attribute_id), tuple(f and f[0] for f in figures),
                    tuple(f and f[1] for f in figures), tuple(f and f[2] for f in figures)))
        people, enrolled, exercised = (tuple(counts[c].get(key, {}).get(s) for s in range(len(labels)))
                                       for c in (HEAD, ENROLLED, EXERCISED))
        groups.append(GroupTrend(label, people, tuple(series), enrolled, exercised))
    return CohortTrends(period, tuple(labels), min_group, tuple(groups), epsilon)


def period_label(when: datetime, period: str) -> str:
    when = when.astimezone(UTC)
    return f"{when.year}-{when.month:02d}" if period == "month" else f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def closed_period_bounds(now: datetime, period: str, count: int) -> list[datetime]:
    """The starts of the last `count` closed periods before `now`, then the start of the open one (their end)."""
    now = now.astimezone(UTC)
    step = 1 if period == "month" else 3
    month = now.year * 12 + now.month - 1
    month -= month % 3 if period == "quarter" else 0
    months = [month - step * i for i in range(count, -1, -1)]
    return [datetime(m // 12, m % 12 + 1, 1, tzinfo=UTC) for m in months]


def trends_for_manager(uow: SqlUnitOfWork, viewer: str, *, min_group: int, period: str = "quarter",
                       periods: int = 4, cohort: str | None = None, now: datetime | None = None,
                       noise: Noise | None = None, actor: str | None = None,
                       freeze_at_most: int | None = VIEW_FREEZES_AT_MOST) -> CohortTrends:
    """The trends `viewer` may see, with the view audited; NotPermittedError unless they are a programme manager
    (`coach managers grant USER`). A manager limited to cohorts (bot.coaching.roles) sees only theirs, and is
    refused another (the attempt audited). `actor`: who looked on the viewer's behalf (an operator at the CLI),
    else the viewer. `freeze_at_most`: see cohort_trends (None: freeze whatever is missing, however long it takes)."""
    with uow:
        user = uow.users.get(viewer)
        limits = uow.managers.cohorts(viewer) if user is not None else frozenset()
    if user is None or user.role != "programme_manager":
        raise NotPermittedError("Cohort trends are for programme managers only. An operator or a Slack admin can "
                                "give the role (`coach managers grant USER`, `/coach managers grant @person`).")
    if limits and cohort is not None and validation.cohort(cohort) not in limits:
        with uow:
            uow.audit.record(viewer, "trends_refused", now or datetime.now(UTC), actor=actor,
                             detail=json.dumps({"cohort": validation.cohort(cohort)}))
            uow.commit()
        raise CohortNotAssignedError("You see the trends of your own cohorts only: " + ", ".join(sorted(limits)) + ".")
    trends = cohort_trends(uow, min_group=min_group, period=period, periods=periods, cohort=cohort,
                           now=now, noise=noise, limit_to=limits or None, freeze_at_most=freeze_at_most)
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
