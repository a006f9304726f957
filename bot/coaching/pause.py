"""Pausing weekly prompts until a date (leave, holidays), and resuming them.

The pause is a local date in the person's timezone: no prompt is sent before it starts. The next prompt is the
first scheduled moment on or after that date; the scheduler also checks the pause itself before it claims a week.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.coaching import validation
from bot.coaching.commitments import parse_date
from bot.coaching.model import Subscription
from bot.coaching.weekly import next_occurrence
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

FURTHEST_PAUSE = timedelta(days=366)


def pause_ends_at(paused_until: date, timezone: str) -> datetime:
    """The UTC instant the pause ends: the start of that day in the person's timezone."""
    return datetime.combine(paused_until, time(0, 0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def is_paused(subscription: Subscription, at: datetime) -> bool:
    return subscription.paused_until is not None and at < pause_ends_at(subscription.paused_until,
                                                                        subscription.timezone)


def pause(uow: SqlUnitOfWork, user_id: str, until: str, *, now: datetime | None = None,
          actor: str | None = None) -> Subscription:
    """No weekly prompt before `until` (YYYY-MM-DD, after today, within a year); refused if prompts are off."""
    user_id = validation.user_id(user_id)
    now = now or datetime.now(UTC)
    with uow:
        current = uow.weekly.get(user_id)
        if current is None or not current.active:
            raise InvalidInputError("Weekly prompts are off for this person, so there is nothing to pause.",
                                    field="user_id")
        today = now.astimezone(ZoneInfo(current.timezone)).date()
        day = parse_date(until, today, field="until", what="The pause's end", furthest=FURTHEST_PAUSE)
        if day is None or day <= today:
            raise InvalidInputError(f"A pause must end after today ({today:%Y-%m-%d}): give the date prompts "
                                    "should start again, as YYYY-MM-DD.", field="until")
        ends = pause_ends_at(day, current.timezone)
        next_due = next_occurrence(ends - timedelta(microseconds=1), current.weekday, current.local_time,
                                   current.timezone)
        uow.weekly.set_pause(user_id, day, next_due, now)
        uow.audit.record(user_id, "weekly_paused", now, detail=f'{{"until": "{day:%Y-%m-%d}"}}', actor=actor)
        uow.commit()
    return Subscription(user_id=user_id, active=True, weekday=current.weekday, local_time=current.local_time,
                        timezone=current.timezone, next_due_at=next_due, paused_until=day)


def resume(uow: SqlUnitOfWork, user_id: str, *, now: datetime | None = None,
           actor: str | None = None) -> Subscription | None:
    """End a pause now; the next prompt is the next scheduled moment. None when prompts are off."""
    now = now or datetime.now(UTC)
    with uow:
        current = uow.weekly.get(user_id)
        if current is None or not current.active:
            return None
        next_due = next_occurrence(now, current.weekday, current.local_time, current.timezone)
        if current.paused_until is not None:
            uow.weekly.set_pause(user_id, None, next_due, now)
            uow.audit.record(user_id, "weekly_resumed", now, actor=actor)
            uow.commit()
        else:
            next_due = current.next_due_at or next_due
    return Subscription(user_id=user_id, active=True, weekday=current.weekday, local_time=current.local_time,
                        timezone=current.timezone, next_due_at=next_due)
