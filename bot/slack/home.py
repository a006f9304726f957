"""Gathering what the Home tab shows from the coaching core, and its trajectory chart as a Slack file."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.coaching.commitments import commitments_of
from bot.coaching.history import (
    HistorySummary,
    chart_fingerprint,
    history_summary,
    published_chart,
    remember_published_chart,
)
from bot.coaching.trends import CohortTrends, trends_for_manager
from bot.coaching.trends_noise import LaplaceNoise
from bot.coaching.weekly import subscription_status
from bot.errors import CoachError, StorageUnavailableError
from bot.slack.blocks.home import HomeData
from bot.slack.blocks.weekly import status_text
from bot.slack.replies import open_dm
from bot.slack.services import CoachingServices, SlackServices
from bot.slack.trends_files import shared_heatmap
from bot.slack.uploads import delete_recorded, upload_recorded

log = logging.getLogger(__name__)
CHART_FILENAME = "coach-progress.png"
CHART_COMMENT = ("Your self-ratings over time, as your Home tab now shows them. When your ratings change I replace "
                 "this chart with a new one.")


def home_data(services: SlackServices, person: str) -> HomeData:
    coaching = services.coaching
    if coaching is None:
        return HomeData()
    db = coaching.db
    history = history_summary(db.uow(), person)
    sub = subscription_status(db.uow(), person)
    weekly = status_text(True, sub.weekday, sub.local_time, sub.timezone) if sub and sub.active else None
    if weekly and sub and sub.paused_until:
        weekly += f" Paused until {sub.paused_until:%-d %B %Y} (`/coach resume` to end it)."
    with db.uow() as uow:
        session = uow.exercises.active_session(person)
        user = uow.users.get(person)
    exercise = None
    if session is not None and session.exercise_id in coaching.library.ids:
        found = coaching.library.get(session.exercise_id)
        exercise = f"{found.title} (step {session.current_step + 1} of {len(found.steps)})"
    manager = user is not None and user.role == "programme_manager"
    trends = manager_trends(coaching, person) if manager else None
    return HomeData(history=history, exercise=exercise, weekly=weekly, programme_manager=manager, trends=trends,
                    commitments=tuple(commitments_of(db.uow(), person)),
                    heatmap_file_id=shared_heatmap(coaching, person, trends) if trends and trends.groups else None)


def manager_trends(coaching: CoachingServices, person: str, **options: Any) -> CohortTrends | None:
    """The cohort trends a programme manager sees (the view audited); None if they cannot be read now."""
    try:
        settings = coaching.settings
        return trends_for_manager(coaching.db.uow(), person, min_group=settings.trends_min_cohort,
                                  period=settings.trends_period, noise=LaplaceNoise(settings.trends_epsilon),
                                  **options)
    except StorageUnavailableError as exc:
        log.warning("trends for %s not read: %s", person, exc)
        return None


@dataclass(frozen=True)
class HomeChart:
    file_id: str
    fresh: bool  # uploaded just now (Slack may still be processing it)
    replaced: tuple[str, ...] = ()  # earlier charts' files, to delete once the new one is shown


def home_chart(coaching: CoachingServices, client: WebClient, person: str,
               history: HistorySummary | None, user_id: str) -> HomeChart | None:
    """The user's trajectory chart as a Slack file, uploaded only when their ratings changed since the last
    upload; None when there is nothing to chart or the upload failed (the Home tab then shows the text).

    Slack shows an image block over a Slack file only to people the file is shared with: a file uploaded to no
    channel is refused (invalid_blocks). So the chart is shared in the person's own DM with the coach (they, and
    nobody else, can see it there and on their Home tab), and recorded for erasure like every other upload."""
    if history is None or not history.trends:
        return None
    fingerprint = chart_fingerprint(history)
    try:
        known = published_chart(coaching.db.uow(), person)
    except CoachError as exc:
        log.warning("home chart: could not read the published chart for %s: %s", person, exc)
        return None
    if known is not None and known.fingerprint == fingerprint:
        return HomeChart(known.ref, fresh=False)
    from bot.coaching.chart import render_history_chart  # matplotlib: ~50 MiB a worker holds only once asked

    try:
        content = render_history_chart(history)
    except Exception as exc:  # a drawing failure only costs the picture: log, show text
        log.warning("home chart not drawn for %s: %s", person, exc)
        return None
    channel = open_dm(client, user_id)
    if channel is None:
        return None
    uploaded = upload_recorded(coaching, client, person, "home-chart", [{
        "content": content, "filename": CHART_FILENAME, "title": "Your self-ratings over time",
        "alt_txt": "Line chart of your self-ratings over time"}], channel=channel, initial_comment=CHART_COMMENT)
    if not uploaded:
        return None
    file_id = uploaded[0]
    try:
        superseded = remember_published_chart(coaching.db.uow(), person, fingerprint, file_id)
    except CoachError as exc:
        log.warning("home chart %s not remembered for %s: %s", file_id, person, exc)
        superseded = None
    if superseded is None:  # not remembered, or the user was erased meanwhile: keep no picture of their ratings
        delete_recorded(coaching, client, person, file_id)
        return None
    return HomeChart(file_id, fresh=True, replaced=tuple(superseded))
