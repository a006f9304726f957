"""Which figures of one closed period may be published, and with how much noise: pure rules, no database.

The database hands over only counts and sums per cohort and attribute (ExactCell); what comes out
(PublishedCell) is frozen for good. For every column (the head count, and each attribute) the cohorts
partition the people in it, and the all-participants figure is their sum. So the only way to single out
ratings by adding and subtracting published figures is the total minus the shown cohorts, i.e. the hidden
cohorts together; the rules make that either nobody or at least `min_group` people:

1. A cohort's figure is shown only if at least `min_group` people stand behind it (and its head count shows).
2. Complementary suppression: if the hidden cohorts of a column hold fewer than `min_group` people (but some),
   the next-smallest shown cohorts are hidden too, until they hold enough.
3. The total is shown only if at least `min_group` people stand behind it and what it hides is nobody or
   at least `min_group` people (the two-segment rule: each of the two overlapping groups must have enough
   people the other lacks).
4. Every sum gets discrete Laplace noise, drawn once here; the total is the sum of the noisy cohort sums
   (hidden ones included), so it costs no extra privacy budget. Means are clamped to 1..5, one decimal.

Participation is published the same way, as counts without means: the people enrolled (ENROLLED) and those
who did an exercise (EXERCISED) in the period, each a column under rules 1-3 like the head count (people who
rated). A cohort's exercise count shows only where its enrolled count shows, as an attribute's mean shows
only where the head count does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

HEAD = ""  # the attribute id of a head-count cell: people who rated anything in the period
ENROLLED = ":enrolled"  # people known to the coach by the period's end (a colon: never an attribute's id)
EXERCISED = ":exercised"  # people who finished a reflective exercise in the period
COUNTS = (ENROLLED, EXERCISED)  # count-only columns besides the head count
ALL, COHORT, NONE = "all", "cohort", "none"


@dataclass(frozen=True)
class ExactCell:
    """Counts and sums straight from the database; never published as they are."""

    cohort: str | None
    attribute_id: str  # HEAD for the head count
    people: int
    total: int  # the sum of their ratings (0 for a head count)


@dataclass(frozen=True)
class PublishedCell:
    scope: str  # ALL, COHORT or NONE
    cohort: str  # "" unless scope is COHORT
    attribute_id: str  # HEAD for the head count
    people: int
    mean: float | None = None  # noisy; None for a head count
    margin: float | None = None  # about 95% of the noise in the mean falls within ± this


class Noise(Protocol):
    """What the rules need from a noise source (trends_noise.LaplaceNoise is the real one)."""

    epsilon: float

    def __call__(self, sums: Sequence[int]) -> list[int]: ...

    def margin(self, people: int, draws: int = 1) -> float: ...


def publishable(exact: Sequence[ExactCell], *, min_group: int, noise: Noise) -> list[PublishedCell]:
    """The figures of one period that pass rules 1-3, with noise (rule 4)."""
    columns: dict[str, dict[str | None, ExactCell]] = {}
    for cell in exact:
        columns.setdefault(cell.attribute_id, {})[cell.cohort] = cell
    heads = columns.pop(HEAD, {})
    shown_heads = _shown({c: cell.people for c, cell in heads.items()}, min_group)
    published = _counts(HEAD, heads, shown_heads, min_group)
    enrolled, exercised = columns.pop(ENROLLED, {}), columns.pop(EXERCISED, {})
    shown_enrolled = _shown({c: cell.people for c, cell in enrolled.items()}, min_group)
    published += _counts(ENROLLED, enrolled, shown_enrolled, min_group)
    shown_exercised = _shown({c: cell.people for c, cell in exercised.items() if c in shown_enrolled}, min_group,
                             hidden_before=sum(cell.people for c, cell in exercised.items() if c not in shown_enrolled))
    published += _counts(EXERCISED, exercised, shown_exercised, min_group)
    for attribute_id in sorted(columns):
        column = columns[attribute_id]
        eligible = {c: cell.people for c, cell in column.items() if c in shown_heads}
        shown = _shown(eligible, min_group, hidden_before=sum(
            cell.people for c, cell in column.items() if c not in shown_heads))
        cohorts = sorted(column, key=_order)
        noisy = dict(zip(cohorts, noise([column[c].total for c in cohorts]), strict=True))
        for cohort in sorted(shown, key=_order):
            people = column[cohort].people
            published.append(_cell(cohort, attribute_id, people, published_mean(noisy[cohort], people),
                                   noise.margin(people)))
        if _total_shown(column, shown, min_group):
            people = sum(c.people for c in column.values())
            published.append(PublishedCell(ALL, "", attribute_id, people, published_mean(sum(noisy.values()), people),
                                           noise.margin(people, len(column))))
    return published


def _counts(attribute_id: str, column: dict[str | None, ExactCell], shown: set[str | None],
            min_group: int) -> list[PublishedCell]:
    """A count-only column's published cells: the shown cohorts, and the total where rule 3 allows it."""
    cells = [_cell(cohort, attribute_id, column[cohort].people) for cohort in sorted(shown, key=_order)]
    if _total_shown(column, shown, min_group):
        cells.append(PublishedCell(ALL, "", attribute_id, sum(c.people for c in column.values())))
    return cells


def _shown(people: dict[str | None, int], min_group: int, hidden_before: int = 0) -> set[str | None]:
    """Rules 1 and 2 for one column: the cohorts whose figure may show."""
    shown = {c for c, n in people.items() if n >= min_group}
    hidden = hidden_before + sum(n for c, n in people.items() if c not in shown)
    while 0 < hidden < min_group and shown:
        smallest = min(shown, key=lambda c: (people[c], _order(c)))
        shown.discard(smallest)
        hidden += people[smallest]
    return shown


def _total_shown(column: dict[str | None, ExactCell], shown: set[str | None], min_group: int) -> bool:
    people = sum(c.people for c in column.values())
    hidden = sum(cell.people for c, cell in column.items() if c not in shown)
    return people >= min_group and (hidden == 0 or hidden >= min_group)


def published_mean(noisy_sum: int, people: int) -> float:
    return round(min(5.0, max(1.0, noisy_sum / people)), 1)


def _cell(cohort: str | None, attribute_id: str, people: int, mean: float | None = None,
          margin: float | None = None) -> PublishedCell:
    return PublishedCell(COHORT if cohort is not None else NONE, cohort or "", attribute_id, people, mean, margin)


def _order(cohort: str | None) -> tuple[bool, str]:
    return (cohort is None, cohort or "")
