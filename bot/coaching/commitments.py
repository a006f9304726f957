"""Commitments: what the person will do after an exercise (by when, with whom), and following them up.

Every part is optional: a blank "what" means no commitment. An open commitment is asked about in the next
weekly prompt ("Last week you said you would … How did it go?"), and at the start of `coach reflect` in the
terminal; the answer is kept: done, not yet (asked again the week after) or dropped.

Both channels follow one rule (`needs_follow_up`): a commitment is followed up once a week, wherever that
happens first. A round of follow-up begins when either channel asks, or when the person answers without having
been asked that week (the Home tab's buttons, `coach commitments --follow-up`); for a week from then neither
channel asks again. So "not yet" in the terminal on Sunday is not asked again by Monday's prompt in Slack, but by
the prompt of the Monday after; and "not yet" clicked on Wednesday under Monday's prompt belongs to Monday's
round, so the next Monday asks again, as the reply promises.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coaching import validation
from bot.coaching.model import Commitment
from bot.coaching.unit_of_work import Commitments, UnitOfWork
from bot.errors import InvalidInputError

MAX_WHAT_CHARS = 1000
MAX_WHOM_CHARS = 300
FURTHEST_DUE = timedelta(days=2 * 366)
# What people type or click for each outcome; the stored value is the key's value.
OUTCOMES = {"done": "done", "d": "done", "not yet": "not_yet", "not-yet": "not_yet", "not_yet": "not_yet",
            "n": "not_yet", "drop": "dropped", "drop it": "dropped", "dropped": "dropped", "r": "dropped"}
# The commitment step that ends every exercise, in the words each surface asks it.
ASK_WHAT = "One last step: what will you do as a result of this? (optional)"
ASK_BY = "By when? (a date, YYYY-MM-DD; optional)"
ASK_WITH = "With whom? (optional)"
OUTCOME_WORDS = {"open": "open", "not_yet": "not yet", "done": "done", "dropped": "dropped"}
# What the coach says back when a follow-up is answered (Slack's buttons and `coach reflect`).
OUTCOME_REPLIES = {"done": "Well done: kept as done.", "dropped": "Dropped: it won't come up again.",
                   "not_yet": "Not yet: I'll ask again next week."}
# A week between rounds of follow-up, and the age at which `coach reflect` first asks about a new commitment (the
# weekly prompt asks about any made before it was due); a day short of seven, so the same weekday next week
# counts, whatever the hour.
FOLLOW_UP_EVERY = timedelta(days=6)


def local_today(uow: UnitOfWork, user_id: str, now: datetime) -> date:
    """Today in the person's own calendar (inside `with uow:`)."""
    user = uow.users.get(user_id)
    return now.astimezone(ZoneInfo(user.timezone if user else "Europe/London")).date()


def parse_date(value: str | None, today: date, *, field: str, what: str, furthest: timedelta = FURTHEST_DUE
               ) -> date | None:
    """A date written YYYY-MM-DD, from today up to `furthest` ahead; blank is None."""
    text = validation.storable(value or "", field, what).strip()
    if not text:
        return None
    try:
        parsed = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInputError(f"{what} {validation.shown(text)} is not a date: write it as YYYY-MM-DD, "
                                f"e.g. {today + timedelta(days=14):%Y-%m-%d}.", field=field)
    if parsed < today:
        raise InvalidInputError(f"{what} {parsed:%Y-%m-%d} has already passed: give today or a later date.",
                                field=field)
    if parsed > today + furthest:
        raise InvalidInputError(f"{what} {parsed:%Y-%m-%d} is too far ahead: give a date before "
                                f"{today + furthest:%Y-%m-%d}.", field=field)
    return parsed


def make_commitment(uow: UnitOfWork, user_id: str, what: str | None, *, by: str | date | None = None,
                    with_whom: str | None = None, exercise_id: str | None = None, session_id: int | None = None,
                    now: datetime | None = None, actor: str | None = None) -> Commitment | None:
    """Store a commitment; None when `what` is blank (no commitment) or this session already has one."""
    user_id = validation.user_id(user_id)
    text = validation.note(what, field="what", limit=MAX_WHAT_CHARS)
    if not text or not text.strip():
        return None
    whom = validation.note(with_whom, field="with_whom", limit=MAX_WHOM_CHARS)
    now = now or datetime.now(UTC)
    with uow:
        uow.users.ensure(user_id, now)
        due = by if isinstance(by, date) or by is None else parse_date(
            by, local_today(uow, user_id, now), field="by", what="'By when'")
        made = uow.commitments.add(user_id, text.strip(), now, due_on=due, with_whom=(whom or "").strip() or None,
                                   exercise_id=exercise_id, session_id=session_id)
        if made is not None:
            uow.audit.record(user_id, "commitment_made", now, detail=f'{{"commitment": {made.id}}}', actor=actor)
        uow.commit()
    return made


def commitments_of(uow: UnitOfWork, user_id: str) -> list[Commitment]:
    with uow:
        return uow.commitments.for_user(user_id)


def outcome(value: str) -> str:
    """'done' | 'not_yet' | 'dropped' from what the person typed or clicked."""
    found = OUTCOMES.get(" ".join((value or "").lower().split()))
    if found is None:
        raise InvalidInputError(f"{validation.shown(value)} is not an answer here: say done, not yet or drop.",
                                field="outcome")
    return found


def record_outcome(uow: UnitOfWork, user_id: str, commitment_id: int, result: str, *,
                   now: datetime | None = None, actor: str | None = None) -> Commitment:
    """Keep how it went. 'not yet' leaves it open, to be asked again next week.

    `now` is when the person answered: the same outcome given again at the same moment is the same answer (its
    work run again after a crash) and changes nothing, so it is recorded and audited once."""
    status = outcome(result)
    now = now or datetime.now(UTC)
    with uow:
        current = _mine(uow.commitments, user_id, commitment_id)
        if current.status == status and current.outcome_at is not None and _same_moment(current.outcome_at, now):
            return current
        uow.commitments.update(user_id, commitment_id, status=status, outcome_at=now, updated_at=now)
        uow.audit.record(user_id, "commitment_followed_up", now,
                         detail=f'{{"commitment": {commitment_id}, "outcome": "{status}"}}', actor=actor)
        updated = uow.commitments.get(user_id, commitment_id)
        uow.commit()
    assert updated is not None
    return updated


def correct_commitment(uow: UnitOfWork, user_id: str, commitment_id: int, *, what: str | None = None,
                       by: str | None = None, with_whom: str | None = None,
                       now: datetime | None = None, actor: str | None = None) -> Commitment:
    """Change what was recorded; a part not given stays as it was, an empty 'by'/'with' clears it."""
    now = now or datetime.now(UTC)
    fields: dict[str, object] = {}
    if what is not None:
        text = (validation.note(what, field="what", limit=MAX_WHAT_CHARS) or "").strip()
        if not text:
            raise InvalidInputError("A commitment needs some words; delete it instead to remove it.", field="what")
        fields["what"] = text
    if with_whom is not None:
        fields["with_whom"] = (validation.note(with_whom, field="with_whom", limit=MAX_WHOM_CHARS) or "").strip() \
            or None
    with uow:
        _mine(uow.commitments, user_id, commitment_id)
        if by is not None:
            fields["due_on"] = parse_date(by, local_today(uow, user_id, now), field="by", what="'By when'")
        uow.commitments.update(user_id, commitment_id, updated_at=now, **fields)
        uow.audit.record(user_id, "commitment_corrected", now, detail=f'{{"commitment": {commitment_id}}}',
                         actor=actor)
        updated = uow.commitments.get(user_id, commitment_id)
        uow.commit()
    assert updated is not None
    return updated


def delete_commitment(uow: UnitOfWork, user_id: str, commitment_id: int, *, now: datetime | None = None,
                      actor: str | None = None) -> None:
    now = now or datetime.now(UTC)
    with uow:
        _mine(uow.commitments, user_id, commitment_id)
        uow.commitments.delete(user_id, commitment_id)
        uow.audit.record(user_id, "commitment_deleted", now, detail=f'{{"commitment": {commitment_id}}}', actor=actor)
        uow.commit()


def round_began(commitment: Commitment) -> datetime | None:
    """When the current round of follow-up began: when a channel last asked, unless the person answered at least
    a week after that (unasked, e.g. on the Home tab), which begins a round of its own. A late answer to a
    prompt belongs to that prompt's round. None: never asked nor answered."""
    asked, answered = commitment.followed_up_at, commitment.outcome_at
    if answered is not None and (asked is None or answered - asked >= FOLLOW_UP_EVERY):
        return answered
    return asked


def needs_follow_up(commitment: Commitment, now: datetime, *, made_before: datetime) -> bool:
    """The one rule of both channels: still open (or 'not yet'), made before `made_before`, and not asked or
    answered in either channel in the week before `now`."""
    if commitment.settled or commitment.created_at >= made_before:
        return False
    began = round_began(commitment)
    return began is None or now - began >= FOLLOW_UP_EVERY


def to_follow_up(commitments: Commitments, user_id: str, scheduled: datetime, now: datetime) -> Commitment | None:
    """Inside `with uow:`: what the weekly prompt due at `scheduled` and sent at `now` opens with, if anything:
    the latest commitment made before the prompt was due that needs following up."""
    waiting = [c for c in commitments.for_user(user_id) if needs_follow_up(c, now, made_before=scheduled)]
    return waiting[-1] if waiting else None


def due_for_follow_up(uow: UnitOfWork, user_id: str, now: datetime) -> Commitment | None:
    """The commitment `coach reflect` opens with, if one is due: as the weekly prompt's, but made at least a week
    ago (the terminal has no schedule to say when "next week" begins)."""
    with uow:
        due = [c for c in uow.commitments.for_user(user_id)
               if needs_follow_up(c, now, made_before=now - FOLLOW_UP_EVERY)]
    return due[-1] if due else None


def leave_until_next_week(uow: UnitOfWork, user_id: str, commitment_id: int, now: datetime) -> None:
    """Asked, and left unanswered: not asked again for a week."""
    with uow:
        _mine(uow.commitments, user_id, commitment_id)
        uow.commitments.update(user_id, commitment_id, followed_up_at=now)
        uow.commit()


def follow_up_question(commitment: Commitment, now: datetime) -> str:
    """'Last week you said you would …. How did it go?' (the date instead, when it was longer ago)."""
    when = "Last week" if now - commitment.created_at <= timedelta(days=14) else \
        f"On {commitment.created_at:%-d %B}"
    return f"{when} you said you would {describe(commitment)}. How did it go?"


def describe(commitment: Commitment) -> str:
    what = commitment.what.rstrip(". ")
    first = what.split()[0] if what.split() else ""
    # "Meet the chief executive" reads "you would meet the chief executive"; "NHS …" and "I …" stay as written.
    parts = [what[:1].lower() + what[1:] if first != "I" and first[1:].islower() else what]
    if commitment.with_whom:
        parts.append(f"with {commitment.with_whom}")
    if commitment.due_on:
        parts.append(f"by {commitment.due_on:%a %-d %b %Y}")
    return ", ".join(parts)


def _same_moment(a: datetime, b: datetime) -> bool:
    """Naive times are UTC (SQLite returns them so)."""
    return a.replace(tzinfo=a.tzinfo or UTC) == b.replace(tzinfo=b.tzinfo or UTC)


def _mine(commitments: Commitments, user_id: str, commitment_id: int) -> Commitment:
    found = commitments.get(user_id, commitment_id)
    if found is None:
        raise InvalidInputError(f"No commitment #{commitment_id} for this person.", field="commitment")
    return found
