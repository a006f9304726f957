"""A heatmap of the published trends: groups by the nine attributes for one period, each cell the (noisy)
mean and the people behind it, cells that were not published marked, and the change since a baseline period.

Only published figures are drawn, so the heatmap can give away nothing the tables do not.
"""

from __future__ import annotations

import functools
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
from matplotlib import colormaps

from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.trends import CohortTrends

if TYPE_CHECKING:
    from PIL import Image
    from PIL.ImageFont import FreeTypeFont

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
    """PNG bytes: one row per group, one column per attribute, each cell coloured by its mean (red 1 to green 5)
    and labelled "mean (people)" with the change below; grey and "·" where not published.

    Drawn with Pillow rather than matplotlib: a programme of 200 cohorts is some 1,800 labelled cells, which
    matplotlib takes over 20 s to lay out and Pillow well under one."""
    from PIL import Image, ImageDraw

    regular, bold = _font(CELL_FONT), _font(CELL_FONT, bold=True)
    heads = [textwrap.wrap(name, 15)[:3] for _, name in found.attributes]
    top = TITLE_HEIGHT + HEADER_HEIGHT
    width = LABEL_WIDTH + CELL_WIDTH * len(found.attributes) + MARGIN
    height = top + CELL_HEIGHT * len(found.groups) + FOOT_HEIGHT
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    since = f", change since {found.baseline}" if found.baseline else ""
    draw.text((MARGIN, 10), f"Mean self-rating, {found.period}{since}: mean (people) in each cell", fill="black",
              font=_font(16, bold=True))
    draw.text((MARGIN, 34), f"{NOT_PUBLISHED} not published (too few people, or hidden to protect a smaller group). "
                            "Means are noisy by design.", fill="#444444", font=_font(13))
    for c, lines in enumerate(heads):
        x = LABEL_WIDTH + c * CELL_WIDTH + CELL_WIDTH // 2
        for i, line in enumerate(lines):
            draw.text((x, TITLE_HEIGHT + 8 + i * 17), line, fill="black", font=_font(13), anchor="ma")
    for r, (group, row) in enumerate(zip(found.groups, found.cells, strict=True)):
        y = top + r * CELL_HEIGHT
        label = group if len(group) <= 30 else group[:29] + "…"
        draw.text((LABEL_WIDTH - 10, y + CELL_HEIGHT // 2), label, fill="black", anchor="rm",
                  font=bold if r == 0 and len(found.groups) > 1 else regular)
        for c, cell in enumerate(row):
            x = LABEL_WIDTH + c * CELL_WIDTH
            box = (x, y, x + CELL_WIDTH - 2, y + CELL_HEIGHT - 2)
            centre, middle = x + CELL_WIDTH // 2, y + CELL_HEIGHT // 2
            if cell.mean is None:
                draw.rectangle(box, fill="#dddddd")
                _stamp(image, NOT_PUBLISHED, True, (centre, middle), "#555555")
                continue
            draw.rectangle(box, fill=_colour(cell.mean))
            figure = f"{cell.mean:.1f} ({cell.people})"
            if cell.change is None:
                _stamp(image, figure, False, (centre, middle))
            else:
                _stamp(image, figure, False, (centre, middle - 8))
                _stamp(image, f"{cell.change:+.1f}", True, (centre, middle + 8))
    if not found.groups:
        draw.text((MARGIN, top + 10), "No group is large enough to show yet.", fill="black", font=regular)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # a larger file, written three times faster
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


LABEL_WIDTH, CELL_WIDTH, CELL_HEIGHT = 250, 112, 42
TITLE_HEIGHT, HEADER_HEIGHT, FOOT_HEIGHT, MARGIN = 60, 64, 16, 16
CELL_FONT = 14


@functools.lru_cache(maxsize=64)
def _colour(mean: float) -> tuple[int, int, int]:
    """Red at 1 through yellow to green at 5 (means have one decimal: 41 colours)."""
    red, green, blue, _ = colormaps["RdYlGn"]((mean - 1) / 4)
    return int(red * 255), int(green * 255), int(blue * 255)


def _stamp(image: Image.Image, text: str, bold: bool, centre: tuple[int, int], colour: str = "black") -> None:
    """Text centred at `centre`; each distinct label is rasterised once (cells repeat a few dozen of them)."""
    mask = _mask(text, bold)
    image.paste(colour, (centre[0] - mask.width // 2, centre[1] - mask.height // 2), mask)


@functools.lru_cache(maxsize=4096)
def _mask(text: str, bold: bool) -> Image.Image:
    from PIL import Image, ImageDraw

    font = _font(CELL_FONT, bold)
    left, top, right, bottom = (int(v) for v in font.getbbox(text))
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, fill=255, font=font)
    return mask


@functools.cache
def _font(size: int, bold: bool = False) -> FreeTypeFont:
    """DejaVu Sans, which matplotlib ships: the same letters on every machine."""
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)
