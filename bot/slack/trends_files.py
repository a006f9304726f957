"""The trends heatmap as a file in the programme manager's DM.

Slack shows an image block over an uploaded file only when the file is shared where the viewer can see it, so
the heatmap is posted into the manager's DM (never left as an unshared upload); the Home tab may then show that
same file. Every upload is recorded against the manager (uploads.py), so erasure deletes it from Slack.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.coaching.trends import CohortTrends
from bot.coaching.uploads import uploads_of
from bot.errors import CoachError
from bot.slack.replies import open_dm
from bot.slack.services import CoachingServices
from bot.slack.uploads import upload_recorded

if TYPE_CHECKING:
    from bot.coaching.trends_heatmap import Heatmap

KIND = "trends-heatmap"
ALT_LIMIT = 1000


def heatmap_filename(trends: CohortTrends, cohort: str | None = None) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", cohort).strip("-")[:40] if cohort else ""
    return f"programme-heatmap-{trends.periods[-1]}{'-' + slug if slug else ''}.png"


def send_heatmap(coaching: CoachingServices, client: WebClient, person: str, user_id: str, trends: CohortTrends,
                 cohort: str | None = None) -> str | None:
    """Post the heatmap of the latest period (change since the first shown) in the manager's DM; the file id, or
    None when there is nothing to draw or Slack refused."""
    if not trends.groups:
        return None
    from bot.coaching.trends_heatmap import heatmap, render_heatmap  # matplotlib only once asked

    since = trends.periods[0] if len(trends.periods) > 1 else None
    found = heatmap(trends, baseline=since)
    channel = open_dm(client, user_id)
    if channel is None:
        return None
    uploaded = upload_recorded(coaching, client, person, KIND, [{
        "content": render_heatmap(found), "filename": heatmap_filename(trends, cohort),
        "title": f"Programme heatmap, {found.period}", "alt_txt": alt_text(found)}], channel=channel,
        initial_comment=f"The heatmap of {found.period}: every group shown by the nine attributes, mean and "
                        "people in each cell (· not published), with the change since "
                        f"{since or 'the period before'}. The figures are noisy by design.")
    return uploaded[0] if uploaded else None


def shared_heatmap(coaching: CoachingServices, person: str, trends: CohortTrends) -> str | None:
    """The heatmap of these trends' latest period already posted in the manager's DM, if there is one."""
    if not trends.periods:
        return None
    try:
        found = [u for u in uploads_of(coaching.db.uow(), person)
                 if u.kind == KIND and u.filename == heatmap_filename(trends)]
    except CoachError:
        return None
    return max(found, key=lambda u: u.created_at).ref if found else None


def alt_text(found: Heatmap) -> str:
    """The heatmap's figures as words, for screen readers (cut to Slack's limit)."""
    rows = []
    for group, cells in zip(found.groups, found.cells, strict=True):
        shown = [f"{name} {c.mean:.1f}" for (_, name), c in zip(found.attributes, cells, strict=True)
                 if c.mean is not None]
        rows.append(f"{group}: {', '.join(shown) or 'nothing published'}")
    return f"Heatmap of mean self-ratings, {found.period}. " + "; ".join(rows)[:ALT_LIMIT - 60]
