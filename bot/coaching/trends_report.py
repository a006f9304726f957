"""A self-contained HTML report of the trends: highlights, the heatmap, the nine-attribute chart and the tables,
with the charts embedded as data URIs, so the one file can be mailed or archived and opens offline.

It shows exactly the published figures the terminal shows (the same rows, trends_table.py); nothing else.
"""

from __future__ import annotations

import base64
from html import escape

from bot.coaching.trends import CohortTrends
from bot.coaching.trends_chart import MAX_GROUPS, render_trends_panels
from bot.coaching.trends_heatmap import heatmap, render_heatmap
from bot.coaching.trends_highlights import highlights
from bot.coaching.trends_table import trends_table

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;
padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
p.note{color:#555}ul.highlights li{margin:.3rem 0}
img{max-width:100%;height:auto;border:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-variant-numeric:tabular-nums}
th,td{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}tr.participation td{color:#444;font-style:italic}
"""


def html_report(trends: CohortTrends, baseline: str | None = None, *, title: str = "Programme trends") -> str:
    table = trends_table(trends, baseline)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
             f"<style>{STYLE}</style></head><body>", f"<h1>{escape(title)}</h1>",
             f"<p class='note'>Mean self-rating (1-5) per closed {escape(trends.period)}, "
             f"{escape(trends.periods[0])} to {escape(trends.periods[-1])}, published once and never changed. "
             f"No figure stands on fewer than {trends.min_group} people; '·' where a figure was not published. "
             "Every mean carries deliberate noise, so no one person's rating can be worked out: read small "
             f"moves with care. Change is since {escape(table.baseline)}.</p>"]
    found = highlights(trends)
    parts.append("<h2>Highlights</h2>")
    parts.append("<ul class='highlights'>" + "".join(f"<li>{escape(h.text)}</li>" for h in found) + "</ul>"
                 if found else "<p>Nothing to highlight: no group is large enough to show yet.</p>")
    if trends.groups:
        latest = heatmap(trends, baseline=table.baseline if table.baseline != trends.periods[-1] else None)
        parts.append(f"<h2>Heatmap, {escape(trends.periods[-1])}</h2>")
        parts.append(_image(render_heatmap(latest), "Heatmap of every group shown by the nine attributes"))
        parts.append("<h2>By attribute over time</h2>")
        if len(trends.groups) > MAX_GROUPS:
            parts.append(f"<p class='note'>The first {MAX_GROUPS} groups; the heatmap and the tables have them "
                         "all.</p>")
        parts.append(_image(render_trends_panels(trends), "Nine panels, one per attribute, a line per group"))
    parts.append("<h2>Tables</h2>")
    header = "".join(f"<th>{escape(h)}</th>" for h in table.header()[1:])
    for group in dict.fromkeys(r.group for r in table.rows):
        rows = "".join(f"<tr class='{r.kind}'><td>{escape(r.measure)}</td>"
                       + "".join(f"<td>{escape(v)}</td>" for v in (*r.values, r.change)) + "</tr>"
                       for r in table.group_rows(group))
        parts.append(f"<h3>{escape(group)}</h3><table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _image(png: bytes, alt: str) -> str:
    return f"<p><img alt='{escape(alt)}' src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'></p>"
