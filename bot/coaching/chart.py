"""The history chart (trends: trends_chart.py): PNGs that stay readable as a ~360 px Slack thumbnail.

The history chart shows every attribute as small multiples (bot.coaching.history_chart). The trends chart
keeps few lines (at most four attributes, the ones that moved most), thick strokes, big fonts, the legend
below the plot rather than over it.
"""

from __future__ import annotations

import io
from pathlib import Path

# Figure directly, never pyplot: no global state, safe from threads, no display needed (PNGs render with Agg).
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.coaching.history import HistorySummary

MAX_LINES = 4
COLOURS = ["#0b5cad", "#d1495b", "#2a9d55", "#edae49"]  # distinguishable for common colour blindness


def render_history_chart(summary: HistorySummary, path: Path | None = None) -> bytes:
    """PNG bytes of the user's ratings, all nine attributes as small multiples (bot.coaching.history_chart)."""
    from bot.coaching.history_chart import render_history_chart as small_multiples

    return small_multiples(summary, path)


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
