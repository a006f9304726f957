"""The Home tab: a personal dashboard (ratings and their trajectory, exercise, weekly prompt, privacy)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching.history import HistorySummary
from bot.coaching.model import Commitment
from bot.coaching.trends import CohortTrends
from bot.slack.blocks.commitments import home_blocks as commitment_blocks
from bot.slack.blocks.person import talk_button
from bot.slack.blocks.trends import heatmap_block, trends_blocks
from bot.slack.escaping import escape_for_slack

HELP_LINES = [
    "*Ask* a question here in Messages, mention me in a channel, or `/coach ask …`",
    "`/coach reflect`: a short reflective exercise",
    "`/coach assess`: rate yourself on the nine attributes of a partnership leader",
    "`/coach weekly on|off [day] [time]`: a weekly prompt · `/coach pause 2027-01-10` (leave) · `/coach resume`",
    "`/coach remembers`: what I remember about you (commitments, conversation memory), to correct or delete",
    "`/coach my-data` (export) · `/coach forget-me` (erase) · `/coach privacy` (how your data is used)",
    "`/coach what-managers-see`: the group figures programme managers see that include you, and what protects you",
]
MANAGER_HELP = "`/coach trends [cohort]`: anonymised cohort trends (programme managers)"
HOME_ASSESS = "home_assess"
HOME_CHART = "home_chart"
HOME_EXPORT = "home_export"
HOME_FORGET = "home_forget"
HOME_HEATMAP = "home_heatmap"


@dataclass(frozen=True)
class HomeData:
    history: HistorySummary | None = None
    exercise: str | None = None  # "Title (step 2 of 4)" of the unfinished exercise
    weekly: str | None = None  # the weekly prompt's status line
    programme_manager: bool = False
    trends: CohortTrends | None = None  # programme managers only; None also when they could not be read
    chart_file_id: str | None = None  # the trajectory chart uploaded to Slack, shown inline when there is one
    commitments: tuple[Commitment, ...] = ()  # what the person said they would do, and how it went
    heatmap_file_id: str | None = None  # the trends heatmap already posted in the manager's DM, shown again here


def home_view(data: HomeData) -> dict:
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your partnership leadership coach"}},
        *_ratings(data.history, data.chart_file_id),
        {"type": "divider"},
        _section("*Current exercise*\n" + (f"{escape_for_slack(data.exercise)}: carry on with `/coach reflect`."
                                           if data.exercise else "None in progress. Start one with `/coach reflect`.")),
        _section("*Weekly prompt*\n" + escape_for_slack(data.weekly or "Not set up: `/coach weekly on monday 09:00`.")),
        *commitment_blocks(list(data.commitments)),
        {"type": "divider"},
        _section("*What I can do*\n" + "\n".join(
            f"• {line}" for line in [*HELP_LINES, *([MANAGER_HELP] if data.programme_manager else [])])),
        _section("*Your data*: private to you. Programme managers only ever see anonymised group trends."),
        {"type": "actions", "block_id": "privacy", "elements": [
            _button("Export my data", HOME_EXPORT), _button("Erase my data", HOME_FORGET, style="danger")]},
        _section("*Would you rather talk to a person?* I'll send you who to contact; nothing you wrote here is "
                 "passed on."),
        {"type": "actions", "block_id": "talk_to_person", "elements": [talk_button()]},
    ]
    if data.programme_manager:
        blocks.append({"type": "divider"})
        if data.trends is None:
            blocks.append(_section("*Programme trends*: could not be read just now; try `/coach trends` in a minute."))
        else:
            blocks += trends_blocks(data.trends)
            if data.trends.groups:
                if data.heatmap_file_id:
                    blocks.append(heatmap_block(data.trends, data.heatmap_file_id))
                blocks.append({"type": "actions", "block_id": "trends", "elements": [
                    _button("Send me the heatmap" if not data.heatmap_file_id else "Send me the heatmap again",
                            HOME_HEATMAP)]})
    return {"type": "home", "blocks": blocks}


def _ratings(history: HistorySummary | None, chart_file_id: str | None = None) -> list[dict]:
    if history is None or not history.trends:
        return [_section("*Your ratings*\nNo self-assessment yet."),
                {"type": "actions", "block_id": "ratings", "elements": [_button("Rate myself", HOME_ASSESS,
                                                                                 style="primary")]}]
    lines = [f"• {escape_for_slack(t.name)}: *{t.latest}*/5  ({' → '.join(str(r) for _, r in t.points[-6:])})"
             for t in history.trends]
    header = f"*Your ratings* ({history.submissions} self-assessment(s); trajectory oldest → latest)"
    blocks = [_section(header + "\n" + "\n".join(lines))]
    if chart_file_id:
        blocks.append(chart_block(history, chart_file_id))
    blocks.append({"type": "actions", "block_id": "ratings", "elements": [
        _button("Rate myself again", HOME_ASSESS, style="primary"),
        _button("Send me my progress chart", HOME_CHART)]})
    return blocks


def chart_block(history: HistorySummary, file_id: str) -> dict:
    """The trajectory chart as an image block over a file shared in the person's DM with the coach (no public URL).

    The block id changes with the file, so Slack redraws the image when a new chart replaces the old one.
    """
    moved = sorted(history.trends, key=lambda t: (-abs(t.change_since_first), t.name))
    latest = "; ".join(f"{t.name} {' → '.join(str(r) for _, r in t.points[-6:])}" for t in moved)
    return {"type": "image", "block_id": f"chart.{file_id}", "slack_file": {"id": file_id},
            "title": {"type": "plain_text", "text": "Your self-ratings over time"},
            "alt_text": f"Small line charts of your self-ratings over time, one per attribute, what moved first. "
                        f"{latest}"[:2000]}


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _button(label: str, action_id: str, style: str | None = None) -> dict:
    button = {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label}}
    if style:
        button["style"] = style
    return button
