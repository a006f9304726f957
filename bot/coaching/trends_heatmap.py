"""A heatmap of the published trends: groups by the nine attributes for one period, each cell the (noisy)
mean and the people behind it, cells that were not published marked, and the change since a baseline period.

Only published figures are drawn, so the heatmap can give away nothing the tables do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from matplotlib import colormaps
from matplotlib.figure import Figure

from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.chart import _png
from bot.coaching.trends import CohortTrends

NOT_PUBLISHED = "·"


@dataclass(frozen=True)
class HeatCell:
    mean: float | None  # None: not published (too few people, or hidden to protect a smaller group)
    people: int | None
    change: float | None  # since the baseline period, where both are published


@dataclass(frozen=True)
class Heatmap:
    period: str
    baseline: str | None
    groups: tuple[str, ...]  # rows
    attributes: tuple[tuple[str, str], ...]  # columns: (id, name), all nine always
    cells: tuple[tuple[HeatCell, ...], ...]  # [row][column]


def heatmap(trends: CohortTrends, *, period: str | None = None, baseline: str | None = None,
            attribute_set: AttributeSet | None = None) -> Heatmap:
    """The published figures of `period` (default: the latest) for every group shown, all nine attributes."""
    period = period or trends.periods[-1]
    slot = trends.periods.index(period)
    base = trends.periods.index(baseline) if baseline is not None else None
    columns = tuple((a.id, a.name) for a in (attribute_set or attributes()).attributes)
    rows = []
    for group in trends.groups:
        series = {s.attribute_id: s for s in group.attributes}
        row = []
        for attribute_id, _ in columns:
            found = series.get(attribute_id)
            mean = found.means[slot] if found else None
            before = found.means[base] if found and base is not None else None
            people = found.people[slot] if found and found.people else None
            change = round(mean - before, 1) if mean is not None and before is not None else None
            row.append(HeatCell(mean, people, change))
        rows.append(tuple(row))
    return Heatmap(period, baseline, tuple(g.label for g in trends.groups), columns, tuple(rows))


def render_heatmap(found: Heatmap, path: Path | None = None) -> bytes:
    """PNG bytes: one row per group, one column per attribute; blank grey where not published."""
    rows, cols = len(found.groups), len(found.attributes)
    figure = Figure(figsize=(2.0 + 1.25 * cols, 1.6 + 0.7 * max(rows, 1)), dpi=100)
    axes = figure.add_axes((0.18, 0.06, 0.8, 0.54))  # room above for the slanted attribute names and the title
    values = [[c.mean if c.mean is not None else float("nan") for c in row] for row in found.cells] or [[0.0] * cols]
    axes.imshow(values, cmap=colormaps["RdYlGn"].with_extremes(bad="#dddddd"), vmin=1, vmax=5, aspect="auto")
    for r, row in enumerate(found.cells):
        for c, cell in enumerate(row):
            if cell.mean is None:
                text = NOT_PUBLISHED
            else:
                change = f"\n{cell.change:+.1f}" if cell.change is not None else ""
                text = f"{cell.mean:.1f} ({cell.people}){change}"
            axes.text(c, r, text, ha="center", va="center", fontsize=10)
    axes.set_xticks(range(cols), [_short(name) for _, name in found.attributes], rotation=35, ha="left",
                    fontsize=9)
    axes.xaxis.tick_top()
    axes.set_yticks(range(rows), [g[:28] for g in found.groups], fontsize=10)
    since = f", change since {found.baseline}" if found.baseline else ""
    figure.suptitle(f"Mean self-rating, {found.period}{since} (people); {NOT_PUBLISHED} not published; noisy by design",
                    fontsize=12, x=0.02, ha="left", y=0.99)
    return _png(figure, path)


def _short(name: str) -> str:
    return name if len(name) <= 22 else name[:21] + "…"
