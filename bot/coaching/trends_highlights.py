"""Plain-language highlights of the published trends: declines and the lowest-rated attributes.

Every highlight is computed from figures already published (the frozen, noisy means and the participation
counts), so it can say nothing the tables do not; and a highlight carries the numbers it was made from, which
its text states. A fall is flagged only when it is larger than the noise that could explain it (the two means'
margins combined), so noise is not reported as news.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.coaching.trends import ALL_PARTICIPANTS, NO_COHORT, CohortTrends, GroupTrend

MIN_FALL = 0.3  # a mean must fall at least this much (and beyond its noise) to be flagged
MIN_SHARE_FALL = 10  # percentage points of the enrolled
LOWEST = 2  # how many of the lowest-rated attributes to name
MAX_HIGHLIGHTS = 6


@dataclass(frozen=True)
class Highlight:
    kind: str  # "decline", "participation" or "lowest"
    text: str
    group: str
    period: str
    measure: str  # an attribute's name, or "rated" / "did an exercise"
    before: float | None = None  # the earlier figure (declines)
    after: float | None = None  # the later figure, or the mean (lowest)
    since: str | None = None  # the earlier period


def highlights(trends: CohortTrends) -> list[Highlight]:
    """Declines from the period before the latest to the latest (largest first), falls in participation, then
    the lowest-rated attributes programme-wide in the latest period."""
    if len(trends.periods) == 0 or not trends.groups:
        return []
    by_fall = lambda h: (h.after or 0) - (h.before or 0)  # noqa: E731 - largest fall first
    found = sorted(_declines(trends), key=by_fall) + sorted(_participation(trends), key=by_fall)
    return found[:MAX_HIGHLIGHTS - LOWEST] + _lowest(trends)


def where(group: str) -> str:
    if group == ALL_PARTICIPANTS:
        return "across all participants"
    if group == NO_COHORT:
        return "among people with no cohort"
    return f"in the {group} cohort"


def _declines(trends: CohortTrends) -> list[Highlight]:
    if len(trends.periods) < 2:
        return []
    now, before = len(trends.periods) - 1, len(trends.periods) - 2
    found = []
    for group in trends.groups:
        for s in group.attributes:
            old, new = s.means[before], s.means[now]
            if old is None or new is None:
                continue
            noise = math.hypot(_margin(s.margins, before), _margin(s.margins, now))
            fall = round(old - new, 1)
            if fall >= MIN_FALL and fall > noise:
                found.append(Highlight(
                    "decline", f"{s.name} fell {where(group.label)} in {trends.periods[now]}: {old:.1f} → {new:.1f}.",
                    group.label, trends.periods[now], s.name, old, new, trends.periods[before]))
    return found


def _participation(trends: CohortTrends) -> list[Highlight]:
    if len(trends.periods) < 2:
        return []
    now, before = len(trends.periods) - 1, len(trends.periods) - 2
    found = []
    for group in trends.groups:
        then, latest = group.participation(before), group.participation(now)
        for measure, old, new in (("rated", then.rated_share, latest.rated_share),
                                  ("did an exercise", then.exercised_share, latest.exercised_share)):
            if old is not None and new is not None and old - new >= MIN_SHARE_FALL:
                found.append(Highlight(
                    "participation", f"Fewer {measure} {where(group.label)} in {trends.periods[now]}: {new}% of "
                                     f"those enrolled, down from {old}%.",
                    group.label, trends.periods[now], measure, old, new, trends.periods[before]))
    return found


def _lowest(trends: CohortTrends) -> list[Highlight]:
    group: GroupTrend = trends.groups[0]  # programme-level first: all participants, when it is shown
    now = len(trends.periods) - 1
    shown = [(s.means[now], i, s.name) for i, s in enumerate(group.attributes) if s.means[now] is not None]
    found = []
    for mean, _, name in sorted(shown)[:LOWEST]:
        assert mean is not None
        found.append(Highlight("lowest", f"{name} is among the lowest-rated {where(group.label)} in "
                                         f"{trends.periods[now]}: {mean:.1f} out of 5.",
                               group.label, trends.periods[now], name, None, mean))
    return found


def _margin(margins: tuple[float | None, ...], slot: int) -> float:
    return (margins[slot] or 0.0) if margins else 0.0
