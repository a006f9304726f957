"""Self-assessment against the leader attributes: validated, stored all-or-nothing, idempotent by key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation
from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.model import Rating, Submission

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork


@dataclass(frozen=True)
class SubmissionResult:
    submission: Submission
    created: bool  # False when the submission key had been seen: the earlier submission is returned


def submit_assessment(
    uow: SqlUnitOfWork,
    user_id: str,
    ratings: Mapping[str, int],
    notes: str | None = None,
    submission_key: str | None = None,
    *,
    source: str = "cli",
    now: datetime | None = None,
    attribute_set: AttributeSet | None = None,
) -> SubmissionResult:
    """Store one self-assessment: all nine attributes, or a subset for a quick check-in.

    Every rating and the note are checked before anything is written (InvalidInputError names the field).
    A `submission_key` seen before for this user returns the first submission unchanged, even when two
    processes race with the same key (Slack retries rely on this).
    """
    user_id = validation.user_id(user_id)
    known = (attribute_set or attributes()).ids
    checked = validation.ratings(ratings, known)
    text = validation.note(notes)
    key = validation.optional_key(submission_key)
    now = now or datetime.now(UTC)
    with uow:
        if key is not None and (existing := uow.assessments.by_key(user_id, key)):
            return SubmissionResult(existing, created=False)
        uow.users.ensure(user_id, now)
        submission_id = uow.assessments.add(user_id, checked, text, key, source, now)
        if submission_id is None:  # lost a race for the key to a concurrent writer: theirs stands
            uow.rollback()
            existing = uow.assessments.by_key(user_id, key or "")
            assert existing is not None
            return SubmissionResult(existing, created=False)
        uow.commit()
    stored = Submission(id=submission_id, user_id=user_id, created_at=now, note=text, submission_key=key,
                        source=source, ratings=tuple(Rating(a, r) for a, r in checked.items()))
    return SubmissionResult(stored, created=True)


def latest_ratings(uow: SqlUnitOfWork, user_id: str) -> dict[str, int]:
    with uow:
        return uow.assessments.latest_ratings(user_id)
