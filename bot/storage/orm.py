"""SQLAlchemy 2.0 table mappings. Only bot/storage/ sees these; services get domain dataclasses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# SQLite only auto-increments INTEGER primary keys; PostgreSQL gets BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; SQLite would otherwise hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _user_fk() -> ForeignKey:
    return ForeignKey("users.id", ondelete="CASCADE")


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notice_shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the privacy notice was given
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    cohort: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default="officer")


class SubmissionRow(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("user_id", "submission_key"),
        Index("ix_submissions_user_created", "user_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(_user_fk())
    submission_key: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32), default="cli")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RatingRow(Base):
    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        UniqueConstraint("submission_id", "attribute_id"),
        Index("ix_ratings_user_attribute_created", "user_id", "attribute_id", "created_at"),
        Index("ix_ratings_created_at", "created_at"),  # trends read one closed period at a time
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(_user_fk())  # denormalised: history and erasure need no join
    attribute_id: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The rater's cohort when the rating was given: trends group by it, so moving a person to another cohort
    # never carries their history with them (two cohorts' histories would then differ by exactly that person).
    cohort: Mapped[str | None] = mapped_column(String(200))


class ExerciseSessionRow(Base):
    __tablename__ = "exercise_sessions"
    __table_args__ = (Index("ix_exercise_sessions_user_status", "user_id", "status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(_user_fk())
    exercise_id: Mapped[str] = mapped_column(String(100))
    current_step: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReflectionRow(Base):
    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("session_id", "step_id"),
        Index("ix_reflections_user_created", "user_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(_user_fk())
    session_id: Mapped[int | None] = mapped_column(ForeignKey("exercise_sessions.id", ondelete="SET NULL"))
    exercise_id: Mapped[str] = mapped_column(String(100))
    step_id: Mapped[str] = mapped_column(String(100))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    # The scheduler's one query: active rows whose next_due_at has passed.
    __table_args__ = (Index("ix_subscriptions_due", "active", "next_due_at", "user_id"),)
    user_id: Mapped[str] = mapped_column(_user_fk(), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, default=0)
    local_time: Mapped[str] = mapped_column(String(5), default="09:00")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_until: Mapped[date | None] = mapped_column(Date)  # leave or holidays: no prompt before this local date
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    # One row per user and ISO week: the claim that makes a weekly prompt go out once.
    __table_args__ = (UniqueConstraint("user_id", "iso_week"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(_user_fk())
    iso_week: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    exercise_id: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    # The user's answer to the prompt: skipped (never sent again that week) or snoozed (sent once more then).
    skipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CommitmentRow(Base):
    """What the person will do (by when, with whom), made at the end of an exercise and followed up weekly."""

    __tablename__ = "commitments"
    __table_args__ = (
        UniqueConstraint("user_id", "session_id"),  # one per exercise session: a repeated submission stores once
        Index("ix_commitments_user_status", "user_id", "status"),
        CheckConstraint("status IN ('open', 'not_yet', 'done', 'dropped')", name="status_known"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(_user_fk())
    session_id: Mapped[int | None] = mapped_column(ForeignKey("exercise_sessions.id", ondelete="SET NULL"))
    exercise_id: Mapped[str | None] = mapped_column(String(100))
    what: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    with_whom: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PublishedChartRow(Base):
    """Where the user's rendered history charts were published (e.g. Slack file ids), and for which ratings:
    a surface re-uploads only when the fingerprint of the ratings changes. One row per file, so none is lost
    track of (erasure deletes them all); the latest is the one shown."""

    __tablename__ = "published_charts"
    user_id: Mapped[str] = mapped_column(_user_fk(), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UploadedFileRow(Base):
    """Every file the app uploaded about a person (e.g. a Slack file id), recorded as it is uploaded and kept
    until the file is deleted there: erasure deletes each one, whatever else forgot it."""

    __tablename__ = "uploaded_files"
    __table_args__ = (Index("ix_uploaded_files_user_id", "user_id"),)
    ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    user_id: Mapped[str] = mapped_column(_user_fk())
    kind: Mapped[str] = mapped_column(String(32))  # export, chart, home-chart
    filename: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FeedbackRow(Base):
    """A person's verdict on one answer (changeable: one row per person and answer)."""

    __tablename__ = "answer_feedback"
    __table_args__ = (Index("ix_answer_feedback_user", "user_id"), UniqueConstraint("user_id", "answer_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(_user_fk())
    conversation_id: Mapped[str | None] = mapped_column(String(200))
    answer_id: Mapped[str] = mapped_column(String(200))
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    passages: Mapped[str | None] = mapped_column(Text)  # JSON list of the chunk ids the answer cited
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the verdict was last given or changed


class TurnRow(Base):
    __tablename__ = "conversation_turns"
    __table_args__ = (
        Index("ix_conversation_turns_conversation", "conversation_id", "id"),
        Index("ix_conversation_turns_user", "user_id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(_user_fk())
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered: Mapped[bool | None] = mapped_column(Boolean)  # user turns: answered in scope (follow-ups use it)


class ProcessedEventRow(Base):
    """Keys already claimed (Slack retries, daily housekeeping), stored as SHA-256 hashes: a key may name a
    person (a Slack user or channel), and equality is all the claim needs."""

    __tablename__ = "processed_events"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LeaseRow(Base):
    """A job only one worker may run at a time, the worker holding it (host, process) and until when."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InboxRow(Base):
    """A Slack delivery stored before it was acknowledged, until its work is done (bot/storage/inbox.py).

    `key` is a hash of the delivery's id (the event id, the form's view id): it is also the retry dedup.
    `worker` holds the row until `lease_until`, renewed while it is alive; a row whose lease ran out belongs to
    a worker that died and is run again by another. Done rows keep only the key, `attempts` and `outcome`
    (the payload and who it was from are cleared) until the retention purge."""

    __tablename__ = "inbox"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))  # a bounded label for logs (request_kind), never content
    payload: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str | None] = mapped_column(String(200), index=True)  # the person's id, for erasure
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # NULL once done
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(20))  # "done" or "gave up"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject"), Index("ix_audit_log_actor", "actor"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # Who did it (a user id, "operator:<OS account>" for the CLI, "system"); NULL only on rows from before 0006.
    actor: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))  # whose data: a user id, or a pseudonym after erasure
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrendPeriodRow(Base):
    """A closed period whose cohort trends have been published: its figures are frozen from then on, so no two
    views of it ever differ (a refresh, a join, a re-rating or an erasure cannot be subtracted out)."""

    __tablename__ = "trend_periods"
    label: Mapped[str] = mapped_column(String(16), primary_key=True)  # e.g. "2026-Q3" or "2026-09"
    granularity: Mapped[str] = mapped_column(String(8))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    min_group: Mapped[int] = mapped_column(SmallInteger)
    epsilon: Mapped[float] = mapped_column(Float)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrendCellRow(Base):
    """One published figure of a frozen period: a group's head count (attribute_id "") or its noisy mean for one
    attribute. Only figures that passed every rule are stored; no person's id is."""

    __tablename__ = "trend_cells"
    __table_args__ = (UniqueConstraint("period", "scope", "cohort", "attribute_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(ForeignKey("trend_periods.label", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(8))  # "all", "cohort" or "none" (people without a cohort)
    cohort: Mapped[str] = mapped_column(String(200), default="")  # "" unless scope is "cohort"
    attribute_id: Mapped[str] = mapped_column(String(64), default="")  # "" for the head count
    people: Mapped[int] = mapped_column(Integer)
    mean: Mapped[float | None] = mapped_column(Float)
    margin: Mapped[float | None] = mapped_column(Float)  # about 95% of the noise falls within ± this


class ManagerCohortRow(Base):
    """A cohort a programme manager is limited to. A manager with no rows sees the whole programme; with rows, only
    those cohorts' published figures (never the all-participants row, which includes other cohorts)."""

    __tablename__ = "manager_cohorts"
    user_id: Mapped[str] = mapped_column(_user_fk(), primary_key=True)
    cohort: Mapped[str] = mapped_column(String(200), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
# Slack installations, one per workspace (or Grid organisation) the app is installed in, and the OAuth states
# of installs in progress. The tables are the ones slack_sdk's SQLAlchemy installation and state stores read
# and write (tests/slack/test_installations.py checks they still match); they live here so that migrations
# manage them like every other table. `user_id` is the installer's Slack user id, not a person of the coach.
_INSTALL_COMMON = ("client_id", "app_id", "enterprise_id", "enterprise_name", "team_id", "team_name", "bot_token",
                   "bot_id", "bot_user_id", "bot_scopes", "bot_refresh_token", "bot_token_expires_at")


def _install_columns(*names: str) -> list[Column]:
    kinds: dict[str, Any] = {
        "client_id": (String(32), False), "app_id": (String(32), False), "enterprise_id": (String(32), True),
        "enterprise_name": (String(200), True), "enterprise_url": (String(200), True),
        "team_id": (String(32), True), "team_name": (String(200), True), "bot_token": (String(200), True),
        "bot_id": (String(32), True), "bot_user_id": (String(32), True), "bot_scopes": (String(1000), True),
        "bot_refresh_token": (String(200), True), "bot_token_expires_at": (DateTime(), True),
        "user_id": (String(32), False), "user_token": (String(200), True), "user_scopes": (String(1000), True),
        "user_refresh_token": (String(200), True), "user_token_expires_at": (DateTime(), True),
        "incoming_webhook_url": (String(200), True), "incoming_webhook_channel": (String(200), True),
        "incoming_webhook_channel_id": (String(200), True),
        "incoming_webhook_configuration_url": (String(200), True), "token_type": (String(32), True),
    }
    return [Column(name, kinds[name][0], nullable=kinds[name][1]) for name in names]


SLACK_INSTALLATIONS = Table(
    "slack_installations", Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_install_columns("client_id", "app_id", "enterprise_id", "enterprise_name", "enterprise_url", "team_id",
                      "team_name", "bot_token", "bot_id", "bot_user_id", "bot_scopes", "bot_refresh_token",
                      "bot_token_expires_at", "user_id", "user_token", "user_scopes", "user_refresh_token",
                      "user_token_expires_at", "incoming_webhook_url", "incoming_webhook_channel",
                      "incoming_webhook_channel_id", "incoming_webhook_configuration_url"),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    *_install_columns("token_type"),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)
SLACK_BOTS = Table(
    "slack_bots", Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_install_columns(*_INSTALL_COMMON),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
SLACK_OAUTH_STATES = Table(
    "slack_oauth_states", Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
