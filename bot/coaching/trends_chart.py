"""The trends chart: one small panel per attribute (all nine, always), each with a line per group shown.

A figure not published is a gap in its line, never a zero; a group whose attribute has no published figure is
simply absent from that panel, and the panel says so when no group has one.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.chart import _png
from bot.coaching.trends import ALL_PARTICIPANTS, CohortTrends

PALETTE = ["#0b5cad", "#d1495b", "#2a9d55", "#edae49", "#7b4fa0", "#00a6a6", "#8c6d31"]
MAX_GROUPS = 1 + len(PALETTE)  # all participants (black) and seven cohorts; the rest: ask for one by name


def render_trends_panels(trends: CohortTrends, path: Path | None = None,
                         attribute_set: AttributeSet | None = None) -> bytes:
    """PNG bytes: a 3 × 3 grid, one panel per attribute, periods across, the 1-5 scale up."""
    columns = list((attribute_set or attributes()).attributes)
    groups = list(trends.groups[:MAX_GROUPS])
    figure = Figure(figsize=(12, 10), dpi=100)
    grid = figure.subplots(3, 3, sharex=True, sharey=True)
    colours = iter(PALETTE)
    style = {g.label: ("#222222", 3.0) if g.label == ALL_PARTICIPANTS else (next(colours), 2.0) for g in groups}
    xs = range(len(trends.periods))
    for axes, attribute in zip(grid.flat, columns, strict=False):
        drawn = 0
        for group in groups:
            series = next((s for s in group.attributes if s.attribute_id == attribute.id), None)
            points = series.shown if series else []
            if points:
                colour, width = style[group.label]
                axes.plot([i for i, _ in points], [m for _, m in points], color=colour, linewidth=width,
                          marker="o", markersize=5, label=group.label[:28])
                drawn += 1
        if not drawn:
            axes.text(0.5, 0.5, "not published", transform=axes.transAxes, ha="center", va="center", color="#777777")
        axes.set_title(attribute.name if len(attribute.name) <= 36 else attribute.name[:35] + "…", fontsize=11)
        axes.set_ylim(0.7, 5.3)
        axes.set_yticks([1, 2, 3, 4, 5])
        axes.grid(axis="y", alpha=0.3)
        axes.set_xticks(list(xs), list(trends.periods), fontsize=9)
        axes.set_xlim(-0.3, max(len(trends.periods) - 0.7, 0.3))
    handles = {label: line for axes in grid.flat for line, label in zip(*axes.get_legend_handles_labels(),
                                                                          strict=True)}
    if handles:
        figure.legend(list(handles.values()), list(handles), loc="lower center", ncol=min(4, len(handles)),
                      fontsize=11, frameon=False)
    figure.suptitle(f"Mean self-rating per {trends.period}, by attribute (gaps: not published; noisy by design)",
                    fontsize=14, x=0.02, ha="left")
    figure.subplots_adjust(left=0.05, right=0.98, top=0.9, bottom=0.12, hspace=0.35, wspace=0.1)
    return _png(figure, path)
