"""Weekly reflection prompts: opting in and out, and the local-time arithmetic behind 'Monday 09:00'."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.coaching import validation
from bot.coaching.model import Subscription
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

DEFAULT_DAY = 0  # Monday
DEFAULT_TIME = "09:00"


def _occurrence_on(day: datetime, weekday: int, local_time: str, zone: ZoneInfo) -> datetime:
    """The scheduled moment in the local week containing `day` (a local datetime), in UTC."""
    monday = day.date() - timedelta(days=day.weekday())
    at = time.fromisoformat(local_time)
    # fold=0 picks the first of a repeated hour; a skipped hour (spring forward) maps forward by zoneinfo rules.
    local = datetime.combine(monday + timedelta(days=weekday), at, tzinfo=zone)
    return local.astimezone(UTC)


def latest_occurrence(now: datetime, weekday: int, local_time: str, timezone: str) -> datetime:
    """The most recent scheduled moment at or before `now` (UTC)."""
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone)
    this_week = _occurrence_on(local_now, weekday, local_time, zone)
    return this_week if this_week <= now else _occurrence_on(local_now - timedelta(days=7), weekday, local_time, zone)


def next_occurrence(after: datetime, weekday: int, local_time: str, timezone: str) -> datetime:
    """The first scheduled moment strictly after `after` (UTC)."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    this_week = _occurrence_on(local, weekday, local_time, zone)
    return this_week if this_week > after else _occurrence_on(local + timedelta(days=7), weekday, local_time, zone)


def iso_week(moment: datetime, timezone: str) -> str:
    """The ISO week ('2026-W10') of `moment` as the user's calendar sees it."""
    year, week, _ = moment.astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


def subscribe(uow: SqlUnitOfWork, user_id: str, day: str | int = DEFAULT_DAY, at: str = DEFAULT_TIME,
              timezone: str | None = None, *, now: datetime | None = None) -> Subscription:
    """Opt in (or change the schedule). The timezone defaults to the user's, else Europe/London."""
    user_id = validation.user_id(user_id)
    weekday = validation.weekday(day)
    local_time = validation.local_time(at)
    zone = validation.timezone(timezone) if timezone is not None else None
    now = now or datetime.now(UTC)
    with uow:
        user = uow.users.ensure(user_id, now)
        zone = zone or user.timezone
        if timezone is not None and zone != user.timezone:
            uow.users.update(user_id, timezone=zone)
        subscription = Subscription(user_id=user_id, active=True, weekday=weekday, local_time=local_time,
                                    timezone=zone, next_due_at=next_occurrence(now, weekday, local_time, zone))
        uow.weekly.save(subscription, now)
        uow.commit()
    return subscription


def unsubscribe(uow: SqlUnitOfWork, user_id: str, *, now: datetime | None = None) -> Subscription | None:
    now = now or datetime.now(UTC)
    with uow:
        current = uow.weekly.get(user_id)
        if current is None:
            return None
        stopped = Subscription(user_id=user_id, active=False, weekday=current.weekday, local_time=current.local_time,
                               timezone=current.timezone, next_due_at=None, snoozed_until=None)
        uow.weekly.save(stopped, now)
        uow.commit()
    return stopped


def snooze(uow: SqlUnitOfWork, user_id: str, until: datetime, *, now: datetime | None = None) -> Subscription:
    """No prompts before `until` (an aware datetime); the schedule itself is kept."""
    if until.tzinfo is None:
        raise InvalidInputError("Give the snooze end with a timezone.", field="until")
    now = now or datetime.now(UTC)
    with uow:
        current = uow.weekly.get(user_id)
        if current is None or not current.active:
            raise InvalidInputError("Weekly prompts are off for this user; turn them on first.",
                                               field="user_id")
        snoozed = Subscription(user_id=user_id, active=True, weekday=current.weekday, local_time=current.local_time,
                               timezone=current.timezone, next_due_at=current.next_due_at,
                               snoozed_until=until.astimezone(UTC))
        uow.weekly.save(snoozed, now)
        uow.commit()
    return snoozed


def subscription_status(uow: SqlUnitOfWork, user_id: str) -> Subscription | None:
    with uow:
        return uow.weekly.get(user_id)
