"""Weekly reflection prompts: opting in and out, skipping and snoozing, and the local-time arithmetic behind
'Monday 09:00'."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.coaching import validation
from bot.coaching.model import Delivery, Subscription
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


def unsubscribe_where(uow: SqlUnitOfWork, belongs: Callable[[str], bool], *,
                      now: datetime | None = None) -> list[str]:
    """Stop the weekly prompts of every subscriber `belongs` picks (e.g. the people of a workspace the app was
    uninstalled from): nothing could reach them. Their schedule and everything else they hold stay."""
    with uow:
        chosen = [user_id for user_id in uow.weekly.subscribers() if belongs(user_id)]
    for user_id in chosen:
        unsubscribe(uow, user_id, now=now)
    return chosen


def snooze(uow: SqlUnitOfWork, user_id: str, until: datetime, *, now: datetime | None = None,
           week: str | None = None) -> Subscription:
    """No prompt before `until` (an aware datetime), then the snoozed one; the schedule itself is kept.

    `week` is the ISO week of the prompt being snoozed (default: the one most recently due). If it was sent,
    it is sent once more at `until` (the scheduler re-claims it once, whichever process gets there first);
    if it was not sent yet, it simply waits until then. Snoozing the same prompt again moves the time.
    """
    if until.tzinfo is None:
        raise InvalidInputError("Give the snooze end with a timezone.", field="until")
    now = now or datetime.now(UTC)
    until = until.astimezone(UTC)
    if until <= now:
        raise InvalidInputError("A snooze must end in the future.", field="until")
    week = validation.iso_week(week) if week is not None else None
    with uow:
        current = _active(uow, user_id)
        zone = current.timezone
        week = week or iso_week(latest_occurrence(now, current.weekday, current.local_time, zone), zone)
        # Reopen the prompt only if `until` still falls in its week for the scheduler; otherwise the next
        # week's prompt is due by then and is the one sent at `until` (one prompt either way).
        due_week = iso_week(latest_occurrence(until, current.weekday, current.local_time, zone), zone)
        reopened = due_week == week and uow.weekly.reopen_snoozed(user_id, week, until)
        next_due = until if reopened else current.next_due_at
        uow.weekly.set_schedule(user_id, next_due, until, now)
        uow.commit()
    return Subscription(user_id=user_id, active=True, weekday=current.weekday, local_time=current.local_time,
                        timezone=zone, next_due_at=next_due, snoozed_until=until)


def skip_week(uow: SqlUnitOfWork, user_id: str, *, now: datetime | None = None, week: str | None = None) -> Delivery:
    """Skip one week's prompt: it is not sent (again) that ISO week, even if it was snoozed. Idempotent.

    `week` defaults to the week of the next prompt due (the one the user would get next). The skip is kept
    with the week's delivery record, so it is in the user's export and goes with an erasure.
    """
    now = now or datetime.now(UTC)
    week = validation.iso_week(week) if week is not None else None
    with uow:
        current = _active(uow, user_id)
        if week is None:
            upcoming = max(current.next_due_at or now, now)
            week = iso_week(latest_occurrence(upcoming, current.weekday, current.local_time, current.timezone),
                            current.timezone)
        uow.weekly.skip(user_id, week, now)
        skipped = uow.weekly.delivery(user_id, week)
        uow.commit()
    assert skipped is not None
    return skipped


def _active(uow: SqlUnitOfWork, user_id: str) -> Subscription:
    current = uow.weekly.get(validation.user_id(user_id))
    if current is None or not current.active:
        raise InvalidInputError("Weekly prompts are off for this user; turn them on first.", field="user_id")
    return current


def subscription_status(uow: SqlUnitOfWork, user_id: str) -> Subscription | None:
    with uow:
        return uow.weekly.get(user_id)
