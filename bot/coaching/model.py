"""Plain domain objects the coaching services and repositories exchange. No persistence here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Role = Literal["officer", "leader", "programme_manager"]
ROLES: tuple[str, ...] = ("officer", "leader", "programme_manager")


@dataclass(frozen=True)
class User:
    id: str  # opaque, e.g. "slack:T123:U456"; the core never parses it
    created_at: datetime
    notice_shown_at: datetime | None = None  # when the privacy notice was given to them
    timezone: str = "Europe/London"
    cohort: str | None = None  # cohort or organisation label, used for thresholded trends
    role: str = "officer"


@dataclass(frozen=True)
class Rating:
    attribute_id: str
    rating: int


@dataclass(frozen=True)
class Submission:
    id: int
    user_id: str
    created_at: datetime
    ratings: tuple[Rating, ...]
    note: str | None = None
    submission_key: str | None = None
    source: str = "cli"


@dataclass(frozen=True)
class RatingPoint:
    """One rating in a user's history: which submission, when, what."""

    submission_id: int
    created_at: datetime
    attribute_id: str
    rating: int


@dataclass(frozen=True)
class Reflection:
    id: int
    user_id: str
    session_id: int | None
    exercise_id: str
    step_id: str
    prompt: str
    answer: str | None  # None once purged by retention
    rating: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ExerciseSession:
    id: int
    user_id: str
    exercise_id: str
    current_step: int  # index of the next step to answer
    status: str  # "active" | "finished" | "abandoned"
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Subscription:
    user_id: str
    active: bool
    weekday: int  # 0 = Monday
    local_time: str  # "HH:MM" in `timezone`
    timezone: str
    next_due_at: datetime | None  # UTC instant of the next prompt
    snoozed_until: datetime | None = None
    paused_until: date | None = None  # leave or holidays: no prompt before this local date


@dataclass(frozen=True)
class Delivery:
    user_id: str
    iso_week: str  # "2026-W48", the ISO week of the scheduled moment in the user's timezone
    # "claimed" (in flight) | "sent" | "failed" | "skipped" (never sent that week) | "snoozed" (sent once more
    # at snoozed_until)
    status: str
    attempts: int
    exercise_id: str | None
    claimed_at: datetime
    sent_at: datetime | None = None
    error: str | None = None
    skipped_at: datetime | None = None
    snoozed_until: datetime | None = None


COMMITMENT_STATUSES: tuple[str, ...] = ("open", "not_yet", "done", "dropped")


@dataclass(frozen=True)
class Commitment:
    """What the person said they would do at the end of an exercise, and how it went."""

    id: int
    user_id: str
    what: str
    created_at: datetime
    updated_at: datetime
    exercise_id: str | None = None
    session_id: int | None = None
    due_on: date | None = None  # "by when", a date in the person's calendar
    with_whom: str | None = None
    status: str = "open"  # "open" | "not_yet" (asked again next week) | "done" | "dropped"
    followed_up_at: datetime | None = None  # when a weekly prompt or `coach reflect` last asked how it went
    outcome_at: datetime | None = None  # when the person answered

    @property
    def settled(self) -> bool:
        return self.status in ("done", "dropped")


@dataclass(frozen=True)
class PublishedChart:
    """Where a user's history chart was published (`ref`, e.g. a Slack file id) and for which ratings."""

    user_id: str
    fingerprint: str
    ref: str
    created_at: datetime


@dataclass(frozen=True)
class UploadedFile:
    """A file the app uploaded about a person (`ref`, e.g. a Slack file id): erasure deletes it there."""

    user_id: str
    ref: str
    kind: str  # "export", "chart", "home-chart"
    filename: str
    created_at: datetime


@dataclass(frozen=True)
class Turn:
    conversation_id: str
    role: str  # "user" | "assistant" | "system"
    content: str  # what the person typed, or what the coach replied
    created_at: datetime
    user_id: str | None = None
    answered: bool | None = None  # on a user turn: did the coach answer it (a follow-up may refer back to it)


@dataclass(frozen=True)
class Feedback:
    user_id: str
    answer_id: str
    helpful: bool
    created_at: datetime
    conversation_id: str | None = None
    comment: str | None = None
    passages: tuple[str, ...] | None = None  # the chunk ids the answer cited (None: not known to this call)


@dataclass
class PurgeReport:
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: `actor` did `action` to `subject`'s data."""

    actor: str | None  # None only on entries written before actors were recorded
    subject: str
    action: str
    detail: str | None
    created_at: datetime
