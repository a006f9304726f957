"""What the trends show, as plain rows: the one source of the terminal tables, the CSV and the HTML report, so
an export holds exactly what is shown.

Per group: participation (people enrolled, who rated, who did an exercise; the last two also as a percentage of
the enrolled), then all nine attributes, each a row whether or not any of its figures was published. The last
column is the change from the baseline period (by default the first shown) to the latest.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.trends import CohortTrends, GroupTrend, signed

NOT_PUBLISHED = "·"


@dataclass(frozen=True)
class Row:
    group: str
    measure: str
    values: tuple[str, ...]  # one per period, NOT_PUBLISHED where nothing was published
    change: str  # latest minus the baseline; "" where either is not published
    kind: str  # "participation" or "attribute"


@dataclass(frozen=True)
class TrendsTable:
    periods: tuple[str, ...]
    baseline: str
    rows: tuple[Row, ...]

    def header(self) -> list[str]:
        return ["Group", "Measure", *self.periods, f"Change since {self.baseline}"]

    def group_rows(self, group: str) -> list[Row]:
        return [r for r in self.rows if r.group == group]


def trends_table(trends: CohortTrends, baseline: str | None = None,
                 attribute_set: AttributeSet | None = None) -> TrendsTable:
    """The rows shown for every group; `baseline` must be one of the periods (ValueError otherwise)."""
    base = trends.periods.index(baseline) if baseline is not None else 0
    rows: list[Row] = []
    for group in trends.groups:
        rows += _participation(trends, group, base) + _attributes(group, base, attribute_set or attributes())
    return TrendsTable(trends.periods, trends.periods[base] if trends.periods else "", tuple(rows))


def _participation(trends: CohortTrends, group: GroupTrend, base: int) -> list[Row]:
    slots = range(len(trends.periods))
    figures = [group.participation(s) for s in slots]
    measures: list[tuple[str, list[int | None], str]] = [
        ("People enrolled", [f.enrolled for f in figures], ""),
        ("People who rated", [f.rated for f in figures], ""),
        ("Rated, % of enrolled", [f.rated_share for f in figures], "%"),
        ("Did an exercise", [f.exercised for f in figures], ""),
        ("Exercise, % of enrolled", [f.exercised_share for f in figures], "%"),
    ]
    rows = []
    for measure, values, unit in measures:
        first, last = values[base], values[-1]
        change = f"{last - first:+d}" if first is not None and last is not None and base != len(values) - 1 else ""
        rows.append(Row(group.label, measure, tuple(NOT_PUBLISHED if v is None else f"{v}{unit}" for v in values),
                        change, "participation"))
    return rows


def _attributes(group: GroupTrend, base: int, attribute_set: AttributeSet) -> list[Row]:
    series = {s.attribute_id: s for s in group.attributes}
    rows = []
    for attribute in attribute_set.attributes:
        found = series.get(attribute.id)
        means = found.means if found else (None,) * len(group.people)
        first, last = means[base], means[-1]
        change = signed(round(last - first, 1)) if first is not None and last is not None and base != len(means) - 1 \
            else ""
        rows.append(Row(group.label, attribute.name, tuple(NOT_PUBLISHED if m is None else f"{m:.1f}" for m in means),
                        change, "attribute"))
    return rows



def table_csv(table: TrendsTable) -> str:
    """The rows as CSV, cell for cell as shown (NOT_PUBLISHED included), with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header())
    for row in table.rows:
        writer.writerow([_cell(row.group), _cell(row.measure), *row.values, row.change])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A label that a spreadsheet would run as a formula is written as text (cohort labels are set by people)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
