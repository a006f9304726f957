"""Conversation memory for the LLM answerer and feedback on answers: thin services over the repositories."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation
from bot.coaching.model import ROLES, Feedback, Turn, User
from bot.coaching.roles import MANAGER
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.coaching.unit_of_work import PeopleUnitOfWork, UnitOfWork

TURN_ROLES = ("user", "assistant", "system")
MAX_PASSAGE_ID_CHARS = 300
MAX_TURN_CHARS = 20_000


def append_turn(uow: UnitOfWork, conversation_id: str, role: str, content: str, user_id: str | None = None,
                *, answered: bool | None = None, now: datetime | None = None) -> Turn:
    return append_turns(uow, conversation_id, [(role, content, answered)], user_id, now=now)[0]


def append_turns(uow: UnitOfWork, conversation_id: str, turns: Sequence[tuple[str, str, bool | None]],
                 user_id: str | None = None, *, now: datetime | None = None) -> list[Turn]:
    """(role, content, answered) turns of one person stored together: a question and its answer are one
    transaction, not two."""
    for role, _, _ in turns:
        if role not in TURN_ROLES:
            raise InvalidInputError(f"role must be one of {', '.join(TURN_ROLES)}.", field="role")
    if not conversation_id or len(conversation_id) > validation.MAX_ID_CHARS:
        raise InvalidInputError("A conversation id of 1 to 200 characters is required.", field="conversation_id")
    at = now or datetime.now(UTC)
    made = [Turn(conversation_id, role, content[:MAX_TURN_CHARS], at, user_id, answered)
            for role, content, answered in turns]
    with uow:
        if user_id is not None:
            uow.users.ensure(validation.user_id(user_id), at)
        for turn in made:
            uow.turns.append(turn)
        uow.commit()
    return made


def recent_turns(uow: UnitOfWork, conversation_id: str, user_id: str | None, limit: int = 10) -> list[Turn]:
    """The person's last `limit` turns in the conversation, oldest first (nobody else's, whatever the id)."""
    with uow:
        return uow.turns.recent(conversation_id, user_id, limit)


def record_feedback(uow: UnitOfWork, user_id: str, answer_id: str, helpful: bool, comment: str | None = None,
                    conversation_id: str | None = None, *, passages: Sequence[str] | None = None,
                    now: datetime | None = None) -> Feedback:
    """Set the person's verdict on an answer: one per person and answer, changed by giving another. A comment
    or the answer's passages, when given, are stored with it; when not, the ones stored before stay."""
    user_id = validation.user_id(user_id)
    feedback = Feedback(user_id=user_id, answer_id=answer_id[: validation.MAX_ID_CHARS], helpful=bool(helpful),
                        created_at=now or datetime.now(UTC), conversation_id=conversation_id,
                        comment=validation.note(comment, field="comment"),
                        passages=None if passages is None else tuple(p[:MAX_PASSAGE_ID_CHARS] for p in passages))
    with uow:
        uow.users.ensure(user_id, feedback.created_at)
        uow.feedback.add(feedback)
        uow.commit()
    return feedback


def set_profile(uow: PeopleUnitOfWork, user_id: str, *, timezone: str | None = None, cohort: str | None = None,
                role: str | None = None, now: datetime | None = None, actor: str | None = None) -> User:
    """Update the user's timezone, cohort/organisation label or role (only the ones given; a blank cohort
    clears it). Returns the user as now stored.

    A change of role or cohort (what decides who sees trends, and in which group a person counts) is audited
    with the old and new values, under `actor` (the operator who made it), else under the person. A programme
    manager given another role loses their cohort limits too, as `coach managers revoke` does (audited as
    "manager_cohorts_removed"): left behind, they would silently come back with a later grant of the role."""
    user_id = validation.user_id(user_id)
    fields: dict[str, str | None] = {}
    if timezone is not None:
        fields["timezone"] = validation.timezone(timezone)
    if cohort is not None:
        fields["cohort"] = validation.cohort(cohort)
    if role is not None:
        if role not in ROLES:
            raise InvalidInputError(f"role must be one of {', '.join(ROLES)}.", field="role")
        fields["role"] = role
    now = now or datetime.now(UTC)
    with uow:
        before = uow.users.get(user_id)
        uow.users.ensure(user_id, now)
        if fields:
            uow.users.update(user_id, **fields)
        user = uow.users.get(user_id)
        assert user is not None  # ensured just above, in the same transaction
        for field in ("role", "cohort"):
            old, new = (getattr(before, field) if before else None), getattr(user, field)
            if field in fields and old != new:
                uow.audit.record(user_id, f"{field}_changed", now, detail=json.dumps({"old": old, "new": new}),
                                 actor=actor)
        # Limits belong to the manager role: taken away with it (only a manager has any, so only then asked).
        was_manager = before is not None and before.role == MANAGER
        limits = uow.managers.cohorts(user_id) if was_manager and user.role != MANAGER else frozenset()
        if limits:
            uow.managers.assign(user_id, (), now)
            uow.audit.record(user_id, "manager_cohorts_removed", now, actor=actor,
                             detail=json.dumps({"cohorts": sorted(limits), "role": user.role}))
        uow.commit()
    return user
