"""The history chart: all nine attributes as small multiples, legible as a ~360 px Slack thumbnail.

Each panel shows one attribute: its name, the latest rating large, the change since the first check-in (with an
arrow, so colour is never the only signal) and a small line of every rating. Panels that moved are tinted and
outlined (blue up, red down); unchanged ones stay grey; attributes not yet rated say so. Nothing is left out.
"""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from bot.coaching.chart import _png
from bot.coaching.history import AttributeTrend, HistorySummary

UP, DOWN, STILL, INK = "#0b5cad", "#c0392b", "#8a8a8a", "#1f1f1f"
TINT = {UP: "#e3eefa", DOWN: "#fbe6e3", STILL: "#f4f4f4"}
COLUMNS = 3


def render_history_chart(summary: HistorySummary, path: Path | None = None,
                         names: dict[str, str] | None = None) -> bytes:
    """PNG bytes of every attribute's ratings (also written to `path` when given); `names` for unrated ids."""
    panels = chart_panels(summary, names)
    rows = max(1, -(-len(panels) // COLUMNS))
    figure = Figure(figsize=(7.2, 1.0 + 2.05 * rows), dpi=100)
    top = 1 - 0.95 / figure.get_figheight()
    moved = [t for _, t in panels if t is not None and t.change_since_first]
    title = "Your self-ratings" + (f": {len(moved)} of {len(panels)} moved" if summary.submissions > 1 else "")
    figure.text(0.02, 1 - 0.3 / figure.get_figheight(), title, fontsize=20, weight="bold", color=INK, va="center")
    if summary.first_at and summary.last_at:
        figure.text(0.02, 1 - 0.68 / figure.get_figheight(), _span(summary), fontsize=13, color="#555555",
                    va="center")
    if not panels:
        figure.text(0.5, 0.45, "No ratings yet", ha="center", va="center", fontsize=20, color=STILL)
    height = top / rows
    width = 1 / COLUMNS
    for index, (name, trend) in enumerate(panels):
        row, column = divmod(index, COLUMNS)
        _panel(figure, (column * width, top - (row + 1) * height, width, height), name, trend)
    return _png(figure, path)


def chart_panels(summary: HistorySummary, names: dict[str, str] | None = None
                 ) -> list[tuple[str, AttributeTrend | None]]:
    """Every attribute, rated ones in attribute order then the unrated (None), with its name."""
    if names is None:
        from bot.coaching.attributes import attributes

        names = {a.id: a.name for a in attributes().attributes}
    panels: list[tuple[str, AttributeTrend | None]] = [(t.name, t) for t in summary.trends]
    return panels + [(names.get(a) or _default_name(a), None) for a in summary.unrated]


def _panel(figure: Figure, box: tuple[float, float, float, float], name: str, trend: AttributeTrend | None) -> None:
    x, y, w, h = box
    change = trend.change_since_first if trend is not None else 0
    colour = UP if change > 0 else DOWN if change < 0 else STILL
    frame = figure.add_axes((x + 0.008, y + 0.01, w - 0.016, h - 0.02))
    frame.set_axis_off()
    frame.add_patch(FancyBboxPatch((0, 0), 1, 1, boxstyle="round,pad=0,rounding_size=0.04", transform=frame.transAxes,
                                   facecolor=TINT[colour] if trend is not None else "white", clip_on=False,
                                   edgecolor=colour if change else "#d0d0d0", linewidth=3 if change else 1))
    frame.text(0.05, 0.95, "\n".join(textwrap.wrap(name, 21)[:3]), fontsize=12.5, color=INK, va="top",
               linespacing=1.0, transform=frame.transAxes)
    if trend is None:
        frame.text(0.05, 0.30, "not rated yet", fontsize=14, color=STILL, style="italic", transform=frame.transAxes)
        return
    frame.text(0.05, 0.08, str(trend.latest), fontsize=30, weight="bold", color=INK, transform=frame.transAxes)
    frame.text(0.19, 0.10, "/5", fontsize=14, color="#555555", transform=frame.transAxes)
    if len(trend.points) > 1:
        label = "no change" if not change else f"{'▲' if change > 0 else '▼'} {change:+d}"
        frame.text(0.05, 0.40, label, fontsize=14, weight="bold" if change else "normal", color=colour,
                   transform=frame.transAxes)
    spark = figure.add_axes((x + w * 0.45, y + h * 0.10, w * 0.48, h * 0.36))
    spark.set_axis_off()
    spark.set_ylim(0.6, 5.4)
    values = [rating for _, rating in trend.points]
    xs = list(range(len(values)))
    spark.plot(xs, values, color=colour if change else "#555555", linewidth=3, solid_capstyle="round")
    spark.plot(xs[-1:], values[-1:], "o", color=colour if change else "#555555", markersize=8)
    spark.set_xlim(-0.3, max(1, len(xs) - 1) + 0.3)


def _span(summary: HistorySummary) -> str:
    assert summary.first_at is not None and summary.last_at is not None
    checks = f"{summary.submissions} check-in{'s' if summary.submissions != 1 else ''}"
    if summary.first_at.date() == summary.last_at.date():
        since = "; change is since your first" if summary.submissions > 1 else ""
        return f"{checks}, {_day(summary.last_at)}{since}"
    return f"{checks}, {_day(summary.first_at)} to {_day(summary.last_at)}; change is since your first"


def _day(when: datetime) -> str:
    return f"{when.day} {when:%b %Y}"


def _default_name(attribute_id: str) -> str:
    return attribute_id.replace("-", " ").capitalize()
