"""Cohort trends as Block Kit: one section per group, each attribute's shown figures oldest → latest."""

from __future__ import annotations

from bot.coaching.trends import CohortTrends, GroupTrend, signed
from bot.coaching.trends_highlights import highlights
from bot.slack.blocks.text import SECTION_LIMIT
from bot.slack.escaping import escape_for_slack

MAX_GROUPS = 8  # a Home tab holds 100 blocks and a message 50; more groups: ask for one by name


def trends_blocks(trends: CohortTrends) -> list[dict]:
    intro = (f"*Programme trends* (anonymised): mean self-rating per closed {trends.period}, {trends.periods[0]} "
             f"to {trends.periods[-1]}, published once and never changed. No figure fewer than {trends.min_group} "
             "people stand behind, and every mean carries deliberate noise: you never see an individual's ratings.")
    blocks: list[dict] = [_section(intro)]
    if trends.pending:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"{', '.join(trends.pending)}: being published by the scheduler, shown within a few minutes.")}]})
    if not trends.groups:
        blocks.append(_section(f"No group is large enough to show yet (at least {trends.min_group} people "
                               f"rating in the same {trends.period})."))
    found = highlights(trends)
    if found:
        text = "*Highlights*\n" + "\n".join(f"• {escape_for_slack(h.text)}" for h in found)
        blocks.append(_section(text[:SECTION_LIMIT]))
    blocks += [_section(group_text(trends, g)) for g in trends.groups[:MAX_GROUPS]]
    # How many groups are not shown is never said: it would help single out a small one.
    if len(trends.groups) > MAX_GROUPS:
        more = f"{len(trends.groups) - MAX_GROUPS} more group(s): `/coach trends COHORT` shows one."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return blocks


def group_text(trends: CohortTrends, group: GroupTrend) -> str:
    latest = next(((p, n) for p, n in zip(reversed(trends.periods), reversed(group.people), strict=True)
                   if n is not None), None)
    head = f"*{escape_for_slack(group.label)}*" + (f" ({latest[1]} people rated in {latest[0]})" if latest else "")
    lines = [participation_line(trends, group)] if group.enrolled and group.enrolled[-1] is not None else []
    for s in group.attributes:
        path = " → ".join(f"{m:.1f}" for _, m in s.shown[-4:])
        change = f" ({signed(s.change)} since {trends.periods[s.shown[0][0]]})" if s.change is not None else ""
        lines.append(f"• {escape_for_slack(s.name)}: {path}{change}")
    return (head + "\n" + "\n".join(lines))[:SECTION_LIMIT]


def participation_line(trends: CohortTrends, group: GroupTrend) -> str:
    """`_2026-Q3: 25 enrolled, 20 rated (80%), 6 did an exercise (24%)_`, from the published counts only."""
    now = group.participation(len(trends.periods) - 1)
    parts = [f"{now.enrolled} enrolled"]
    if now.rated is not None:
        parts.append(f"{now.rated} rated ({now.rated_share}%)")
    if now.exercised is not None:
        parts.append(f"{now.exercised} did an exercise ({now.exercised_share}%)")
    return f"_{trends.periods[-1]}: {', '.join(parts)}_"


def heatmap_block(trends: CohortTrends, file_id: str) -> dict:
    """The heatmap posted in the manager's DM, shown again as an image (Slack refuses unshared files here)."""
    return {"type": "image", "block_id": f"heatmap.{file_id}", "slack_file": {"id": file_id},
            "title": {"type": "plain_text", "text": f"Programme heatmap, {trends.periods[-1]}"},
            "alt_text": f"Heatmap of every group shown by the nine attributes, {trends.periods[-1]}"}


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
