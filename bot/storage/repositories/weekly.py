"""Weekly-prompt subscriptions and the delivery claims that make each prompt go out once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from bot.coaching.model import Delivery, Subscription
from bot.storage.orm import DeliveryRow, SubscriptionRow
from bot.storage.sql import insert_ignoring_conflict


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(user_id=row.user_id, active=row.active, weekday=row.weekday, local_time=row.local_time,
                        timezone=row.timezone, next_due_at=row.next_due_at, snoozed_until=row.snoozed_until,
                        paused_until=row.paused_until)


class WeeklyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: str) -> Subscription | None:
        row = self.session.get(SubscriptionRow, user_id)
        return _subscription(row) if row else None

    def save(self, subscription: Subscription, now: datetime) -> None:
        row = self.session.get(SubscriptionRow, subscription.user_id)
        if row is None:
            row = SubscriptionRow(user_id=subscription.user_id)
            self.session.add(row)
        row.active = subscription.active
        row.weekday = subscription.weekday
        row.local_time = subscription.local_time
        row.timezone = subscription.timezone
        row.next_due_at = subscription.next_due_at
        row.snoozed_until = subscription.snoozed_until
        row.paused_until = subscription.paused_until
        row.updated_at = now
        self.session.flush()

    def subscribers(self) -> list[str]:
        """Everyone whose weekly prompts are on."""
        return list(self.session.scalars(select(SubscriptionRow.user_id).where(SubscriptionRow.active.is_(True))))

    def due(self, now: datetime, limit: int, after: tuple[datetime, str] | None = None) -> list[Subscription]:
        """Active, unsnoozed subscriptions whose next prompt time has passed, oldest first.

        Keyset paging on (next_due_at, user_id) walks ix_subscriptions_due in order, so each page costs the
        same however many users are due; `after` is the last (next_due_at, user_id) of the previous page.
        """
        s = SubscriptionRow
        query = (
            select(s.user_id, s.weekday, s.local_time, s.timezone, s.next_due_at, s.paused_until)
            .where(s.active.is_(True), s.next_due_at <= now, or_(s.snoozed_until.is_(None), s.snoozed_until <= now))
            .order_by(s.next_due_at, s.user_id).limit(limit)
        )
        if after is not None:
            query = query.where(tuple_(s.next_due_at, s.user_id) > tuple_(after[0], after[1]))
        # Core rows, not ORM entities: a whole page of 100,000 due users is mostly Python overhead otherwise.
        rows = self.session.connection().execute(query)
        return [Subscription(user_id, True, weekday, local_time, timezone, next_due_at, paused_until=paused_until)
                for user_id, weekday, local_time, timezone, next_due_at, paused_until in rows]

    def count_due(self, now: datetime) -> int:
        query = select(func.count()).select_from(SubscriptionRow).where(
            SubscriptionRow.active.is_(True), SubscriptionRow.next_due_at <= now,
            or_(SubscriptionRow.snoozed_until.is_(None), SubscriptionRow.snoozed_until <= now))
        return int(self.session.scalar(query) or 0)

    def set_next_due(self, user_id: str, next_due_at: datetime, now: datetime) -> None:
        self.session.execute(update(SubscriptionRow).where(SubscriptionRow.user_id == user_id)
                             .values(next_due_at=next_due_at, updated_at=now))

    def claim_delivery(self, user_id: str, iso_week: str, exercise_id: str | None, now: datetime,
                       max_attempts: int) -> str | None:
        """Claim this week's prompt for `user_id`: the exercise to send, or None when the week is not ours.

        Exactly one caller wins, across processes. A new week inserts the claim row; a failed earlier attempt,
        or a prompt the user snoozed, may be re-claimed (one conditional UPDATE, so only one re-claimer wins;
        a snoozed prompt is sent again with its own exercise). A claim that was sent, skipped or is in flight
        is never claimed again.
        """
        values = {"user_id": user_id, "iso_week": iso_week, "status": "claimed", "attempts": 1,
                  "exercise_id": exercise_id, "claimed_at": now}
        table = DeliveryRow.__table__
        if insert_ignoring_conflict(self.session, table, values, ["user_id", "iso_week"], "id") is not None:  # type: ignore[arg-type]
            return exercise_id
        d = DeliveryRow
        snoozed = d.status == "snoozed"
        # SET expressions read the row as it was, so `snoozed` is the state before this claim.
        result = self.session.execute(
            update(d)
            .where(d.user_id == user_id, d.iso_week == iso_week,
                   or_(and_(d.status == "failed", d.attempts < max_attempts), snoozed))
            .values(status="claimed", claimed_at=now, attempts=case((snoozed, 1), else_=d.attempts + 1),
                    exercise_id=case((snoozed, func.coalesce(d.exercise_id, exercise_id)), else_=exercise_id))
            .returning(d.exercise_id)
            .execution_options(synchronize_session=False)
        )
        row = result.first()
        return None if row is None else (row[0] or exercise_id)

    def finish_delivery(self, user_id: str, iso_week: str, now: datetime, error: str | None = None) -> None:
        values: dict[str, object] = {"status": "failed", "error": error[:2000]} if error else {
            "status": "sent", "sent_at": now, "error": None}
        # Only an in-flight claim: a skip recorded while the prompt was going out stays recorded.
        self.session.execute(update(DeliveryRow).where(DeliveryRow.user_id == user_id, DeliveryRow.iso_week == iso_week,
                                                       DeliveryRow.status == "claimed").values(**values))

    def skip(self, user_id: str, iso_week: str, now: datetime) -> None:
        """Record that the user skipped `iso_week`: its prompt is not sent (again). Idempotent: the first
        skip's time is kept."""
        values = {"user_id": user_id, "iso_week": iso_week, "status": "skipped", "attempts": 0,
                  "exercise_id": None, "claimed_at": now, "skipped_at": now}
        table = DeliveryRow.__table__
        if insert_ignoring_conflict(self.session, table, values, ["user_id", "iso_week"], "id") is not None:  # type: ignore[arg-type]
            return
        d = DeliveryRow
        self.session.execute(update(d).where(d.user_id == user_id, d.iso_week == iso_week)
                             .values(status="skipped", skipped_at=func.coalesce(d.skipped_at, now))
                             .execution_options(synchronize_session=False))

    def reopen_snoozed(self, user_id: str, iso_week: str, until: datetime) -> bool:
        """Mark the week's prompt to be sent once more at `until`; False when there is none to reopen (never
        sent, or going out right now)."""
        d = DeliveryRow
        result = self.session.execute(
            update(d).where(d.user_id == user_id, d.iso_week == iso_week,
                            d.status.in_(("sent", "skipped", "snoozed")))
            .values(status="snoozed", snoozed_until=until)
            .execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def set_schedule(self, user_id: str, next_due_at: datetime | None, snoozed_until: datetime | None,
                     now: datetime) -> None:
        s = SubscriptionRow
        self.session.execute(update(s).where(s.user_id == user_id)
                             .values(next_due_at=next_due_at, snoozed_until=snoozed_until, updated_at=now)
                             .execution_options(synchronize_session=False))

    def set_pause(self, user_id: str, paused_until: date | None, next_due_at: datetime | None, now: datetime) -> None:
        """Pause (or, with None, resume) the prompts; the next one is due at `next_due_at`. A snooze is dropped."""
        s = SubscriptionRow
        self.session.execute(update(s).where(s.user_id == user_id)
                             .values(paused_until=paused_until, next_due_at=next_due_at, snoozed_until=None,
                                     updated_at=now)
                             .execution_options(synchronize_session=False))

    def delivery(self, user_id: str, iso_week: str) -> Delivery | None:
        row = self.session.scalar(select(DeliveryRow).where(DeliveryRow.user_id == user_id,
                                                            DeliveryRow.iso_week == iso_week))
        return self._delivery(row) if row else None

    def deliveries(self, user_id: str | None = None) -> list[Delivery]:
        query = select(DeliveryRow).order_by(DeliveryRow.id)
        if user_id is not None:
            query = query.where(DeliveryRow.user_id == user_id)
        return [self._delivery(r) for r in self.session.scalars(query)]

    @staticmethod
    def _delivery(row: DeliveryRow) -> Delivery:
        return Delivery(user_id=row.user_id, iso_week=row.iso_week, status=row.status, attempts=row.attempts,
                        exercise_id=row.exercise_id, claimed_at=row.claimed_at, sent_at=row.sent_at, error=row.error,
                        skipped_at=row.skipped_at, snoozed_until=row.snoozed_until)
