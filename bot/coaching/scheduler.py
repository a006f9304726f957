"""Send each due weekly prompt exactly once, however many processes run, and never a backlog.

For every due subscription: claim the (user, ISO week) delivery row in its own transaction (a unique row,
so exactly one process wins), call `deliver` outside any transaction, then record the outcome and move
the subscription's next due time past `now`. After downtime only the latest scheduled moment counts, so
a user gets at most the current week's prompt, never one per missed week.

A failed delivery (deliver raised) is recorded and retried on later runs within the same week, up to
`max_attempts`. A process killed between claiming and recording leaves the claim "in flight": it is not
retried, because the prompt may have gone out (at most once beats twice).

A week the user skipped is never sent, nor any week before the end of a pause (leave, holidays). A prompt
opens with the follow-up of the person's latest open commitment, if they made one before it was due.
A prompt the user snoozed is sent once more when the snooze ends: bot.coaching.weekly.snooze moves the due
time there and reopens the week's claim, which one process re-claims.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.coaching.commitments import follow_up_question, to_follow_up
from bot.coaching.exercises import ExerciseLibrary
from bot.coaching.model import Subscription
from bot.coaching.next_exercise import choose_next_exercise
from bot.coaching.pause import is_paused, pause_ends_at
from bot.coaching.weekly import iso_week, latest_occurrence, next_occurrence

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeeklyPrompt:
    user_id: str
    iso_week: str
    exercise_id: str
    title: str
    summary: str
    attribute_ids: tuple[str, ...]
    scheduled_for: datetime  # the UTC moment this prompt was due
    commitment_id: int | None = None  # the commitment followed up, if any
    follow_up: str | None = None  # "Last week you said you would … How did it go?"

    @property
    def reflection_text(self) -> str:
        title = self.title if self.title.endswith(("?", ".", "!")) else self.title + "."
        return f"Your weekly reflection: {title} {self.summary} It takes about ten minutes."

    @property
    def text(self) -> str:
        return f"{self.follow_up}\n\n{self.reflection_text}" if self.follow_up else self.reflection_text


@dataclass
class RunReport:
    sent: list[str] = field(default_factory=list)  # user ids
    failed: dict[str, str] = field(default_factory=dict)  # user id -> error
    skipped: list[str] = field(default_factory=list)  # claimed elsewhere, or already sent this week


def find_due(uow: SqlUnitOfWork, now: datetime, limit: int = 1000,
             after: Subscription | None = None) -> list[Subscription]:
    """One page of due subscriptions, longest overdue first; pass the last one back for the next page."""
    with uow:
        return uow.weekly.due(now, limit, (after.next_due_at, after.user_id) if after and after.next_due_at else None)


def run_due(uow: SqlUnitOfWork, deliver: Callable[[WeeklyPrompt], None], library: ExerciseLibrary,
            now: datetime | None = None, *, batch: int = 5000, max_attempts: int = 3) -> RunReport:
    """Deliver every prompt due at `now`. Safe to run from several processes at once, and often."""
    now = now or datetime.now(UTC)
    report = RunReport()
    cursor: Subscription | None = None
    while subscriptions := find_due(uow, now, batch, cursor):
        cursor = subscriptions[-1]
        for subscription in subscriptions:
            _deliver_one(uow, subscription, deliver, library, now, max_attempts, report)
    return report


def _deliver_one(uow: SqlUnitOfWork, subscription: Subscription, deliver: Callable[[WeeklyPrompt], None],
                 library: ExerciseLibrary, now: datetime, max_attempts: int, report: RunReport) -> None:
    s = subscription
    scheduled = latest_occurrence(now, s.weekday, s.local_time, s.timezone)
    week = iso_week(scheduled, s.timezone)
    following = next_occurrence(now, s.weekday, s.local_time, s.timezone)
    if is_paused(s, scheduled):
        assert s.paused_until is not None
        after_pause = next_occurrence(pause_ends_at(s.paused_until, s.timezone) - timedelta(microseconds=1),
                                      s.weekday, s.local_time, s.timezone)
        with uow:
            uow.weekly.set_next_due(s.user_id, max(after_pause, following), now)
            uow.commit()
        report.skipped.append(s.user_id)
        return
    with uow:
        exercise = choose_next_exercise(uow, library, s.user_id, now)
        commitment = to_follow_up(uow.commitments, s.user_id, scheduled, now)
        claimed = uow.weekly.claim_delivery(s.user_id, week, exercise.id, now, max_attempts)
        if claimed is None:
            existing = uow.weekly.delivery(s.user_id, week)
            if existing and (existing.status in ("sent", "skipped") or existing.attempts >= max_attempts):
                uow.weekly.set_next_due(s.user_id, following, now)  # this week is settled
            uow.commit()
            report.skipped.append(s.user_id)
            return
        uow.commit()
    if claimed != exercise.id and claimed in library.ids:  # a snoozed prompt comes back as it was
        exercise = library.get(claimed)
    prompt = WeeklyPrompt(user_id=s.user_id, iso_week=week, exercise_id=exercise.id, title=exercise.title,
                          summary=exercise.summary, attribute_ids=tuple(exercise.attributes), scheduled_for=scheduled,
                          commitment_id=commitment.id if commitment else None,
                          follow_up=follow_up_question(commitment, now) if commitment else None)
    try:
        deliver(prompt)
    except Exception as exc:
        log.warning("weekly prompt for %s failed: %s", s.user_id, exc)
        with uow:
            uow.weekly.finish_delivery(s.user_id, week, now, error=f"{type(exc).__name__}: {exc}")
            delivery = uow.weekly.delivery(s.user_id, week)
            if delivery and delivery.attempts >= max_attempts:
                uow.weekly.set_next_due(s.user_id, following, now)
            uow.commit()
        report.failed[s.user_id] = str(exc)
        return
    with uow:
        uow.weekly.finish_delivery(s.user_id, week, now)
        uow.weekly.set_next_due(s.user_id, following, now)
        if commitment is not None:
            uow.commitments.update(s.user_id, commitment.id, followed_up_at=now)
        uow.commit()
    report.sent.append(s.user_id)
