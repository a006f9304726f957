"""Weekly prompts in Slack: delivery by DM, and the loop that asks the core what is due.

Every serving process runs the loop; the core claims each (user, ISO week) once in the database, so
several workers never double-send. 429s are waited out by the client's retry handler (Retry-After).
"""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient

from bot.coaching.data_rights import purge_old_daily
from bot.coaching.scheduler import RunReport, WeeklyPrompt, run_due
from bot.slack.blocks.weekly import weekly_prompt_blocks
from bot.slack.limits import SECTION_TEXT, cut
from bot.slack.people import slack_user
from bot.slack.replies import post_blocks
from bot.slack.services import CoachingServices

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60.0


class NotASlackUser(Exception):
    pass


def deliver_by_dm(client: WebClient, prompt: WeeklyPrompt) -> None:
    """Raises on failure: the core records it and tries again on a later run that week."""
    who = slack_user(prompt.user_id)
    if who is None:
        raise NotASlackUser(prompt.user_id)
    channel = client.conversations_open(users=who[1])["channel"]["id"]
    post_blocks(client, channel, cut(prompt.text, SECTION_TEXT),
                weekly_prompt_blocks(prompt.text, prompt.exercise_id, prompt.iso_week))


def run_once(coaching: CoachingServices, client: WebClient) -> RunReport:
    return run_due(coaching.db.uow(), lambda prompt: deliver_by_dm(client, prompt), coaching.library)


def housekeep(coaching: CoachingServices) -> None:
    """Retention, applied by the serving app itself (once a UTC day across all workers), so that what the
    privacy notice promises does not depend on an operator scheduling `coach my-data purge-old`."""
    settings = coaching.settings
    purged = purge_old_daily(coaching.db.uow(), settings.retention_days,
                             turn_retention_days=settings.turn_retention_days)
    if purged is not None:
        log.info("retention purge: %s", purged)


class WeeklyLoop:
    """A daemon thread running `run_once` every `interval` seconds until stopped."""

    def __init__(self, coaching: CoachingServices, client: WebClient, interval: float = INTERVAL_SECONDS) -> None:
        self._coaching = coaching
        self._client = client
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="coach-weekly", daemon=True)

    def start(self) -> WeeklyLoop:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                housekeep(self._coaching)
                report = run_once(self._coaching, self._client)
                if report.sent or report.failed:
                    log.info("weekly prompts: %d sent, %d failed", len(report.sent), len(report.failed))
            except Exception:  # the loop must outlive a database outage
                log.exception("weekly prompt run failed")
            self._stop.wait(self._interval)
