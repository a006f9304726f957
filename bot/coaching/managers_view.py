"""What programme managers see about the groups a person is in: the published figures their ratings count in,
who can see them, and the rules that protect them, in plain language. Never an individual figure: only the
frozen, published group figures any manager can see (bot.coaching.trends), picked out for this person.

Reading it publishes nothing: a closed period nobody has looked at yet is said to be "not yet published".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation
from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.trends import ALL_PARTICIPANTS, MAX_PERIODS, NO_COHORT, closed_period_bounds, period_label
from bot.coaching.trends_rules import ALL, COHORT, HEAD, NONE, PublishedCell
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

PEOPLE = "People who rated"  # the head-count line
PUBLISHED, NOT_YET, NEVER, OPEN = "published", "not yet published", "never published", "open"


@dataclass(frozen=True)
class SeenFigure:
    group: str  # ALL_PARTICIPANTS, a cohort label or NO_COHORT
    attribute: str  # an attribute's name, or PEOPLE for the head count
    people: int | None  # None: not published (too few people, or hidden to protect a smaller group)
    mean: float | None = None
    margin: float | None = None


@dataclass(frozen=True)
class PeriodSeen:
    period: str  # e.g. "2026-Q2"
    status: str  # PUBLISHED, NOT_YET, NEVER or OPEN
    figures: tuple[SeenFigure, ...]  # only for PUBLISHED
    published_at: datetime | None = None


@dataclass(frozen=True)
class ManagersView:
    user_id: str
    periods: tuple[PeriodSeen, ...]  # newest first
    viewers: dict[str, int]  # group -> how many programme managers can see its figures
    rules: tuple[str, ...]


def managers_view(uow: SqlUnitOfWork, user_id: str, *, min_group: int, period: str, epsilon: float,
                  periods: int = 4, now: datetime | None = None,
                  attribute_set: AttributeSet | None = None) -> ManagersView:
    """The last `periods` periods in which `user_id` rated, with the figures managers see that include them."""
    user_id = validation.user_id(user_id)
    if not 1 <= periods <= MAX_PERIODS:
        raise InvalidInputError(f"periods must be between 1 and {MAX_PERIODS}.", field="periods")
    now = now or datetime.now(UTC)
    names = {a.id: a.name for a in (attribute_set or attributes()).attributes}
    with uow:
        ratings = uow.managers.rated_groups(user_id)
        found: list[PeriodSeen] = []
        if ratings:
            published = uow.managers.published_periods(ratings[0][0], ratings[-1][0])
            windows = [(label, start, end, at) for label, start, end, at in published
                       if any(start <= when < end for when, _, _ in ratings)]
            cells = uow.trends.cells([w[0] for w in windows])
            for label, start, end, at in windows:
                mine = [(a, c) for when, a, c in ratings if start <= when < end]
                found.append(PeriodSeen(label, PUBLISHED, _figures(mine, cells.get(label, []), names), at))
            covered = [(start, end) for _, start, end, _ in windows]
            open_start = closed_period_bounds(now, period, 1)[-1]
            for label in sorted({period_label(when, period) for when, _, _ in ratings}):
                start, end = _bounds(label, period)
                if any(s <= start and end <= e for s, e in covered):
                    continue
                status = OPEN if start >= open_start else NEVER if uow.trends.overlapping(label, start, end) \
                    else NOT_YET
                found.append(PeriodSeen(label, status, ()))
        viewers = _viewers(uow.managers.managers(), {c for _, _, c in ratings})
    found.sort(key=lambda p: p.period, reverse=True)
    return ManagersView(user_id, tuple(found[:periods]), viewers, rules(min_group, period, epsilon))


def _figures(mine: list[tuple[str, str | None]], cells: list[PublishedCell],
             names: dict[str, str]) -> tuple[SeenFigure, ...]:
    """The person's groups in one period: for each attribute, the cohort on their latest rating of it; for the
    head count, the cohort of their latest rating (as trends count them)."""
    by_key = {(c.scope, c.cohort, c.attribute_id): c for c in cells}
    latest: dict[str, str | None] = {}
    for attribute_id, cohort in mine:  # oldest first: the last one wins
        latest[attribute_id] = cohort
    head_cohort = mine[-1][1]
    figures = []
    for attribute_id, cohort in [(HEAD, head_cohort), *sorted(latest.items(), key=lambda kv: _order(kv[0], names))]:
        name = PEOPLE if attribute_id == HEAD else names.get(attribute_id, attribute_id)
        own = (COHORT, cohort, cohort) if cohort is not None else (NONE, "", NO_COHORT)
        keys = [(ALL, "", ALL_PARTICIPANTS), own]
        for scope, label, group in keys:
            cell = by_key.get((scope, label, attribute_id))
            figures.append(SeenFigure(group, name, cell.people if cell else None, cell.mean if cell else None,
                                      cell.margin if cell else None))
    return tuple(figures)


def _order(attribute_id: str, names: dict[str, str]) -> tuple[int, str]:
    ids = list(names)
    return (ids.index(attribute_id) if attribute_id in ids else len(ids), attribute_id)


def _viewers(managers: list[tuple[str, frozenset[str]]], cohorts: set[str | None]) -> dict[str, int]:
    """Group -> how many managers can see its figures: those not limited see every group; a limited one only
    their cohorts (never all participants)."""
    if not cohorts:
        return {}
    whole = sum(1 for _, limits in managers if not limits)
    counts = {ALL_PARTICIPANTS: whole}
    for cohort in cohorts:
        if cohort is None:
            counts[NO_COHORT] = whole
        else:
            counts[cohort] = whole + sum(1 for _, limits in managers if cohort in limits)
    return counts


def _bounds(label: str, period: str) -> tuple[datetime, datetime]:
    year, _, rest = label.partition("-")
    month = (int(rest[1:]) - 1) * 3 + 1 if period == "quarter" else int(rest)
    start = datetime(int(year), month, 1, tzinfo=UTC)
    step = 3 if period == "quarter" else 1
    months = start.year * 12 + start.month - 1 + step
    return start, datetime(months // 12, months % 12 + 1, 1, tzinfo=UTC)


def rules(min_group: int, period: str, epsilon: float) -> tuple[str, ...]:
    """The protections, in plain language, with this deployment's settings."""
    return (
        "Managers never see your own ratings, notes, reflections or conversations: only figures for groups.",
        f"No figure is shown unless at least {min_group} people stand behind it. When a small group is hidden, the "
        "next-smallest is hidden with it, so the hidden one cannot be worked out by subtracting.",
        f"Only a {period} that has ended is shown, and its figures are fixed when they are published, soon after "
        "it ends. Nothing you do afterwards (rating again, moving cohort, asking for erasure) changes them, so two "
        "views can never be compared to single you out.",
        f"Every average carries deliberate random noise (differential privacy, ε = {epsilon:g} per rating): even "
        "someone who knew everyone else's ratings could not tell yours.",
        "Each rating counts in the cohort you were in when you gave it.",
        "Every time a manager looks at the trends, it is recorded in the audit log.",
        "Not hidden: how many people rated in each group that is shown.",
        "A rating dated inside a period after its figures were fixed (an import of earlier ratings) is not in them.",
        "If you ask for erasure, you are left out of every period not yet published; figures already published stay, "
        "because they no longer identify anyone.",
    )
