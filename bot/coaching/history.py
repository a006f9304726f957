"""A user's self-ratings over time: per-attribute trajectories and a plain-text summary."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation
from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.model import PublishedChart

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork


@dataclass(frozen=True)
class AttributeTrend:
    attribute_id: str
    name: str
    points: tuple[tuple[datetime, int], ...]  # oldest first

    @property
    def first(self) -> int:
        return self.points[0][1]

    @property
    def latest(self) -> int:
        return self.points[-1][1]

    @property
    def previous(self) -> int | None:
        return self.points[-2][1] if len(self.points) > 1 else None

    @property
    def change_since_first(self) -> int:
        return self.latest - self.first

    @property
    def change_since_last(self) -> int | None:
        return None if self.previous is None else self.latest - self.previous


@dataclass(frozen=True)
class HistorySummary:
    user_id: str
    submissions: int
    first_at: datetime | None
    last_at: datetime | None
    trends: tuple[AttributeTrend, ...]  # in attribute order; only attributes ever rated
    strengths: tuple[str, ...]  # attribute ids, best first
    growth_areas: tuple[str, ...]  # attribute ids, most in need first
    unrated: tuple[str, ...]

    def trend(self, attribute_id: str) -> AttributeTrend:
        return next(t for t in self.trends if t.attribute_id == attribute_id)


def history_summary(uow: SqlUnitOfWork, user_id: str, attribute_set: AttributeSet | None = None,
                    top: int = 3) -> HistorySummary:
    attribute_set = attribute_set or attributes()
    with uow:
        points = uow.assessments.history(user_id)
    series: dict[str, list[tuple[datetime, int]]] = {}
    for p in points:
        series.setdefault(p.attribute_id, []).append((p.created_at, p.rating))
    names = {a.id: a.name for a in attribute_set.attributes}
    order = [a for a in attribute_set.ids if a in series] + sorted(set(series) - set(attribute_set.ids))
    trends = tuple(AttributeTrend(a, names.get(a, a), tuple(series[a])) for a in order)
    # Strengths: highest latest rating, then most improved; growth areas the reverse. No attribute is both.
    by_strength = sorted(trends, key=lambda t: (-t.latest, -t.change_since_first, order.index(t.attribute_id)))
    strengths = tuple(t.attribute_id for t in by_strength[:top] if t.latest >= 4)
    by_need = sorted(trends, key=lambda t: (t.latest, t.change_since_first, order.index(t.attribute_id)))
    growth = tuple(t.attribute_id for t in by_need if t.attribute_id not in strengths and t.latest <= 3)[:top]
    submission_ids = {p.submission_id for p in points}
    return HistorySummary(
        user_id=user_id, submissions=len(submission_ids), first_at=points[0].created_at if points else None,
        last_at=points[-1].created_at if points else None, trends=trends, strengths=strengths, growth_areas=growth,
        unrated=tuple(a for a in attribute_set.ids if a not in series))


# Bump when the chart's drawing changes, so every published chart is drawn afresh.
CHART_VERSION = "1"


def chart_fingerprint(summary: HistorySummary) -> str:
    """A hash of everything the history chart shows: equal fingerprints draw the same chart."""
    digest = hashlib.sha256(CHART_VERSION.encode())
    for trend in summary.trends:
        digest.update(f"|{trend.attribute_id}|{trend.name}".encode())
        for when, rating in trend.points:
            digest.update(f";{when.isoformat()}={rating}".encode())
    return digest.hexdigest()


def published_chart(uow: SqlUnitOfWork, user_id: str) -> PublishedChart | None:
    """Where the user's chart was last published, and for which ratings (see `chart_fingerprint`)."""
    return next(iter(published_charts(uow, user_id)), None)


def published_charts(uow: SqlUnitOfWork, user_id: str) -> list[PublishedChart]:
    """Every published copy still recorded, newest first: erasure deletes them all."""
    with uow:
        return uow.charts.all_for(user_id)


def remember_published_chart(uow: SqlUnitOfWork, user_id: str, fingerprint: str, ref: str, *,
                             now: datetime | None = None) -> list[str] | None:
    """Record where the chart for `fingerprint` was published. Returns the refs of the user's other recorded
    charts, which this one supersedes (delete them, then `forget_published_chart` them), or None, storing
    nothing, for an unknown user, e.g. one erased meanwhile. Two racing uploads each see the other, so
    neither copy is lost track of."""
    user_id = validation.user_id(user_id)
    with uow:
        if uow.users.get(user_id) is None:
            return None
        uow.charts.add(PublishedChart(user_id, fingerprint, ref, now or datetime.now(UTC)))
        uow.commit()
        return [chart.ref for chart in uow.charts.all_for(user_id) if chart.ref != ref]


def forget_published_chart(uow: SqlUnitOfWork, user_id: str, refs: list[str] | None = None) -> None:
    """Drop these recorded charts (all of the user's when refs is None)."""
    with uow:
        uow.charts.delete(user_id, refs)
        uow.commit()


def _signed(change: int | None) -> str:
    if change is None:
        return "n/a"
    return f"+{change}" if change > 0 else ("±0" if change == 0 else str(change))


def format_history(summary: HistorySummary) -> str:
    """Plain text; callers escape it for their medium (rich markup, Slack mrkdwn)."""
    if not summary.trends:
        return "No self-assessments yet. Rate yourself with `coach assess` to start your history."
    assert summary.first_at and summary.last_at
    names = {t.attribute_id: t.name for t in summary.trends}
    span = f"from {summary.first_at:%d %b %Y} to {summary.last_at:%d %b %Y}"
    lines = [f"{summary.submissions} self-assessment(s) {span}."]
    if summary.strengths:
        lines.append("Strengths: " + "; ".join(f"{names[a]} ({summary.trend(a).latest}/5)" for a in summary.strengths))
    if summary.growth_areas:
        lines.append("Growth areas: " + "; ".join(
            f"{names[a]} ({summary.trend(a).latest}/5)" for a in summary.growth_areas))
    lines.append("")
    lines.append(f"{'Attribute':<40} {'first':>5} {'latest':>6} {'since first':>11} {'since last':>10}")
    for t in summary.trends:
        lines.append(f"{t.name[:40]:<40} {t.first:>5} {t.latest:>6} {_signed(t.change_since_first):>11} "
                     f"{_signed(t.change_since_last):>10}")
    if summary.unrated:
        lines.append(f"Not yet rated: {', '.join(summary.unrated)}.")
    return "\n".join(lines)
