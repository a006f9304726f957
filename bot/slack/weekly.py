"""Weekly prompts in Slack: delivery by DM, and the loop that asks the core what is due.

Every serving process starts the loop, but only the holder of the scheduler lease (bot/storage/lease.py) runs
it: it renews the lease every TICK_SECONDS, and when it dies another worker takes the lease over within
LEASE_SECONDS + TICK_SECONDS (under a minute). The core also claims each (user, ISO week) once in the database,
so even two runs at once would never double-send. 429s are waited out by the client's retry handler.
Each person is sent their prompt with their own workspace's bot token (bot.slack.installations.Workspaces);
someone whose workspace no longer has the app installed has their prompts stopped.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from slack_sdk import WebClient

from bot.coaching.data_rights import purge_old_daily
from bot.coaching.scheduler import RunReport, WeeklyPrompt, run_due
from bot.coaching.trends import publish_closed_periods
from bot.coaching.trends_noise import LaplaceNoise
from bot.coaching.weekly import unsubscribe
from bot.observability.metrics import ERRORS, WEEKLY_PROMPTS_SENT
from bot.slack.blocks.commitments import follow_up_blocks
from bot.slack.blocks.weekly import weekly_prompt_blocks
from bot.slack.installations import NotASlackUser, WorkspaceNotInstalled, Workspaces
from bot.slack.limits import SECTION_TEXT, cut
from bot.slack.people import slack_user
from bot.slack.replies import post_blocks
from bot.slack.services import CoachingServices
from bot.storage.lease import Lease

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60.0
LEASE_NAME = "weekly-scheduler"
LEASE_SECONDS = 40.0
TICK_SECONDS = 10.0  # how often the lease is renewed (or asked for), whatever a run is doing

__all__ = ["NotASlackUser", "WeeklyLoop", "deliver_by_dm", "deliver_in_workspace", "run_once"]


def deliver_by_dm(client: WebClient, prompt: WeeklyPrompt) -> None:
    """Raises on failure: the core records it and tries again on a later run that week."""
    who = slack_user(prompt.user_id)
    if who is None:
        raise NotASlackUser(prompt.user_id)
    channel = client.conversations_open(users=who[1])["channel"]["id"]
    follow_up = follow_up_blocks(prompt.follow_up, prompt.commitment_id) \
        if prompt.follow_up and prompt.commitment_id is not None else None
    post_blocks(client, channel, cut(prompt.text, SECTION_TEXT),
                weekly_prompt_blocks(prompt.reflection_text, prompt.exercise_id, prompt.iso_week, follow_up))


def deliver_in_workspace(coaching: CoachingServices, workspaces: Workspaces, prompt: WeeklyPrompt) -> None:
    """By DM with the person's own workspace's token; if the app is gone from there, their prompts stop."""
    try:
        client = workspaces.client_for(prompt.user_id)
    except WorkspaceNotInstalled:
        unsubscribe(coaching.db.uow(), prompt.user_id)
        log.info("weekly prompts stopped for a person whose workspace no longer has the app")
        raise
    deliver_by_dm(client, prompt)


def run_once(coaching: CoachingServices, workspaces: Workspaces) -> RunReport:
    return run_due(coaching.db.uow(), lambda prompt: deliver_in_workspace(coaching, workspaces, prompt),
                   coaching.library)


def housekeep(coaching: CoachingServices) -> None:
    """Retention, applied by the serving app itself (once a UTC day across all workers), so that what the
    privacy notice promises does not depend on an operator scheduling `coach my-data purge-old`."""
    settings = coaching.settings
    purged = purge_old_daily(coaching.db.uow(), settings.retention_days,
                             turn_retention_days=settings.turn_retention_days)
    if purged is not None:
        log.info("retention purge: %s", purged)
    # Closed quarters are frozen here, once, rather than by the first manager to look (seconds over two years).
    publish_closed_periods(coaching.db.uow(), min_group=settings.trends_min_cohort, period=settings.trends_period,
                           noise=LaplaceNoise(settings.trends_epsilon))


class WeeklyLoop:
    """Two daemon threads: one keeps asking for the scheduler lease every `tick` seconds; the other, while this
    process holds it, runs `run_once` (and the daily housekeeping) every `interval` seconds, until stopped."""

    def __init__(self, coaching: CoachingServices, workspaces: Workspaces, interval: float = INTERVAL_SECONDS, *,
                 tick: float = TICK_SECONDS, lease_seconds: float = LEASE_SECONDS) -> None:
        self._coaching = coaching
        self._workspaces = workspaces
        self._interval = interval
        self._tick = tick
        self.lease = Lease(coaching.db.engine, LEASE_NAME, timedelta(seconds=lease_seconds))
        self._leader = threading.Event()
        self._stop = threading.Event()
        self._keeper = threading.Thread(target=self._keep_lease, name="coach-weekly-lease", daemon=True)
        self._thread = threading.Thread(target=self._run, name="coach-weekly", daemon=True)

    @property
    def leading(self) -> bool:
        return self._leader.is_set()

    def start(self) -> WeeklyLoop:
        self._keeper.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._keeper.join(timeout=10)
        if self._leader.is_set():
            try:
                self.lease.release()
            except Exception:
                log.warning("could not release the scheduler lease; it expires on its own")
            self._leader.clear()

    def _keep_lease(self) -> None:
        while not self._stop.is_set():
            try:
                held = self.lease.acquire()
            except Exception:  # the database is unavailable: whoever held it keeps it until it expires
                ERRORS.labels(where="scheduler_lease").inc()
                log.warning("could not renew the scheduler lease", exc_info=True)
                held = False
            if held and not self._leader.is_set():
                log.info("this worker now runs the weekly scheduler")
            elif not held and self._leader.is_set():
                log.info("this worker no longer runs the weekly scheduler")
            (self._leader.set if held else self._leader.clear)()
            self._stop.wait(self._tick)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._leader.wait(self._tick):
                continue
            try:
                housekeep(self._coaching)
                report = run_once(self._coaching, self._workspaces)
                WEEKLY_PROMPTS_SENT.inc(len(report.sent))
                if report.sent or report.failed:
                    log.info("weekly prompts: %d sent, %d failed", len(report.sent), len(report.failed))
            except Exception:  # the loop must outlive a database outage
                ERRORS.labels(where="weekly_scheduler").inc()
                log.exception("weekly prompt run failed")
            self._stop.wait(self._interval)
