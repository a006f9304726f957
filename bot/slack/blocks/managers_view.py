"""`/coach what-managers-see` as Block Kit: per period, the group figures that include the person; who can see
them; the rules that protect them."""

from __future__ import annotations

from bot.coaching.managers_view import NEVER, NOT_YET, OPEN, ManagersView, PeriodSeen
from bot.slack.blocks.text import SECTION_LIMIT
from bot.slack.escaping import escape_for_slack

WHY = {OPEN: "still open: nothing is shown until it ends.",
       NOT_YET: "ended, not yet published: its figures are fixed when they are published, soon after it ends.",
       NEVER: "never published (it overlaps a period already published)."}


def managers_view_blocks(view: ManagersView) -> list[dict]:
    blocks = [_section("*What programme managers see about the groups you are in*\nNever your own ratings: only "
                       "figures for groups, exactly as managers see them.")]
    if not view.periods:
        blocks.append(_section("You have no ratings yet, so nothing managers see includes you."))
    blocks += [_section(period_text(p)) for p in view.periods]
    if view.viewers:
        who = "\n".join(f"• {escape_for_slack(group)}: {count} programme manager(s)"
                        for group, count in sorted(view.viewers.items()))
        blocks.append(_section("*Who can see these figures*\n" + who))
    blocks.append(_section("*What protects you*\n" + "\n".join(f"• {escape_for_slack(r)}" for r in view.rules)))
    return blocks


def period_text(found: PeriodSeen) -> str:
    if found.status in WHY:
        return f"*{found.period}*: {WHY[found.status]}"
    lines = []
    for f in found.figures:
        if f.people is None:
            shown = "not published (too few people, or hidden to protect a smaller group)"
        elif f.mean is None:
            shown = f"{f.people}"
        else:
            shown = f"{f.mean:.1f} ± {f.margin or 0:.1f} ({f.people} people)"
        lines.append(f"• {escape_for_slack(f.group)} · {escape_for_slack(f.attribute)}: {shown}")
    return (f"*{found.period}* (fixed {found.published_at:%Y-%m-%d})\n" if found.published_at else
            f"*{found.period}*\n") + "\n".join(lines)[:SECTION_LIMIT - 60]


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}
