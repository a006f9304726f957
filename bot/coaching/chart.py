"""Charts as PNG bytes: the history chart's entry point (small multiples of all nine attributes, drawn in
bot.coaching.history_chart) and the one way every chart is written out (the trends charts use it too)."""

from __future__ import annotations

import io
from pathlib import Path

# Figure directly, never pyplot: no global state, safe from threads, no display needed (PNGs render with Agg).
from matplotlib.figure import Figure

from bot.coaching.history import HistorySummary


def render_history_chart(summary: HistorySummary, path: Path | None = None) -> bytes:
    """PNG bytes of the user's ratings, all nine attributes as small multiples (bot.coaching.history_chart)."""
    from bot.coaching.history_chart import render_history_chart as small_multiples

    return small_multiples(summary, path)


def _png(figure: Figure, path: Path | None) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data
