"""What the coach remembers about a person, in one place: their commitments and their conversation memory.

The person can correct or delete a commitment (bot.coaching.commitments) and clear their conversation memory
here; everything else (ratings, reflections) is in the export and goes with an erasure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.coaching.model import Commitment, Turn
from bot.coaching.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Remembered:
    commitments: tuple[Commitment, ...]
    turns: tuple[Turn, ...]  # conversation memory, oldest first

    @property
    def conversations(self) -> int:
        return len({t.conversation_id for t in self.turns})

    @property
    def questions(self) -> tuple[Turn, ...]:
        """What the person asked (their own turns), oldest first."""
        return tuple(t for t in self.turns if t.role == "user")


def what_is_remembered(uow: UnitOfWork, user_id: str, *, actor: str | None = None,
                       now: datetime | None = None) -> Remembered:
    now = now or datetime.now(UTC)
    with uow:
        found = Remembered(tuple(uow.commitments.for_user(user_id)), tuple(uow.turns.of_person(user_id)))
        if uow.users.get(user_id) is not None:
            uow.audit.record(user_id, "remembered_viewed", now, actor=actor)
            uow.commit()
    return found


def forget_conversations(uow: UnitOfWork, user_id: str, *, actor: str | None = None,
                         now: datetime | None = None) -> int:
    """Clear the person's conversation memory (nothing else); how many turns were deleted."""
    now = now or datetime.now(UTC)
    with uow:
        gone = uow.turns.forget_person(user_id)
        if uow.users.get(user_id) is not None:
            uow.audit.record(user_id, "conversation_memory_cleared", now, detail=f'{{"turns": {gone}}}', actor=actor)
        uow.commit()
    return gone
