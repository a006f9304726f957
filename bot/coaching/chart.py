"""The history chart (trends: trends_chart.py): PNGs that stay readable as a ~360 px Slack thumbnail.

So: few lines (at most four attributes, chosen for interest), thick strokes, big fonts, the legend below
the plot rather than over it, and monthly means once weekly points would be a blur.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

# Figure directly, never pyplot: no global state, safe from threads, no display needed (PNGs render with Agg).
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from bot.coaching.history import AttributeTrend, HistorySummary

MAX_LINES = 4
COLOURS = ["#0b5cad", "#d1495b", "#2a9d55", "#edae49"]  # distinguishable for common colour blindness


def chart_attributes(summary: HistorySummary) -> list[AttributeTrend]:
    """Growth areas first, then strengths, then the biggest movers, up to MAX_LINES."""
    chosen = list(dict.fromkeys([*summary.growth_areas[:2], *summary.strengths[:2]]))
    movers = sorted(summary.trends, key=lambda t: -abs(t.change_since_first))
    chosen += [t.attribute_id for t in movers if t.attribute_id not in chosen]
    return [summary.trend(a) for a in chosen[:MAX_LINES]]


def _smoothed(points: tuple[tuple[datetime, int], ...]) -> tuple[list[datetime], list[float]]:
    if len(points) <= 26:
        return [p[0] for p in points], [float(p[1]) for p in points]
    months: dict[tuple[int, int], list[int]] = {}
    for when, rating in points:
        months.setdefault((when.year, when.month), []).append(rating)
    xs = [datetime(y, m, 15) for (y, m) in months]
    return xs, [sum(v) / len(v) for v in months.values()]


def render_history_chart(summary: HistorySummary, path: Path | None = None) -> bytes:
    """PNG bytes of the user's trajectories (also written to `path` when given)."""
    figure, axes = _rating_figure(labelsize=14)
    trends = chart_attributes(summary)
    days: list[float] = []
    for colour, trend in zip(COLOURS, trends, strict=False):
        xs, ys = _smoothed(trend.points)
        days += list(date2num(xs))
        axes.plot(date2num(xs), ys, color=colour, linewidth=3.5, marker="o" if len(xs) < 15 else None, markersize=7,
                  label=_legend_name(trend.name))
    if days and max(days) - min(days) < 2:  # ratings within a day or two: give the date axis a week to label
        axes.set_xlim(min(days) - 3, max(days) + 3)
    locator = AutoDateLocator(maxticks=5)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    shown = len(trends)
    title = "Your self-ratings" + (f" ({shown} of {len(summary.trends)})" if shown < len(summary.trends) else "")
    figure.suptitle(title, fontsize=20, x=0.12, ha="left", y=0.97)
    if trends:
        figure.legend(loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=1, fontsize=14, frameon=False)
    else:
        axes.text(0.5, 0.5, "No ratings yet", ha="center", va="center", fontsize=18, transform=axes.transAxes)
    return _png(figure, path)


def _rating_figure(labelsize: int) -> tuple[Figure, Axes]:
    """A figure with axes for the 1-5 rating scale, room below for the legend."""
    figure = Figure(figsize=(6.4, 4.8), dpi=100)
    axes = figure.add_axes((0.12, 0.36, 0.84, 0.52))
    axes.set_ylim(0.7, 5.3)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.tick_params(labelsize=labelsize)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _legend_name(name: str) -> str:
    return name if len(name) <= 34 else name[:33] + "…"


def _png(figure: Figure, path: Path | None) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data
