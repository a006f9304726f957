"""The unit of work the conversation core asks for, as protocols: what it needs, not how it is stored.

bot.storage.SqlUnitOfWork provides it over a database; bot.coaching.memory_uow.InMemoryUnitOfWork provides it
in memory (a terminal session, and core tests that need no database). Services take the protocol:

    with uow:
        uow.turns.append(turn)
        uow.commit()           # leaving the block without commit discards what was done in it
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from bot.coaching.model import Commitment, Feedback, Turn, User


class Users(Protocol):
    def get(self, user_id: str) -> User | None: ...

    def ensure(self, user_id: str, now: datetime) -> User: ...

    def update(self, user_id: str, **fields: Any) -> None: ...


class Turns(Protocol):
    def append(self, turn: Turn) -> None: ...

    def recent(self, conversation_id: str, user_id: str | None, limit: int) -> list[Turn]:
        """The person's last `limit` turns in the conversation, oldest first."""
        ...

    def of_person(self, user_id: str) -> list[Turn]:
        """All of the person's conversation memory (their turns and the replies to them), oldest first."""
        ...

    def forget_person(self, user_id: str) -> int:
        """Delete the person's conversation memory; how many turns went."""
        ...


class Commitments(Protocol):
    def add(self, user_id: str, what: str, now: datetime, *, due_on: date | None = None,
            with_whom: str | None = None, exercise_id: str | None = None,
            session_id: int | None = None) -> Commitment | None:
        """The new commitment; None when the exercise session already has one."""
        ...

    def get(self, user_id: str, commitment_id: int) -> Commitment | None: ...

    def for_user(self, user_id: str) -> list[Commitment]:
        """Oldest first."""
        ...

    def update(self, user_id: str, commitment_id: int, **fields: Any) -> bool: ...

    def delete(self, user_id: str, commitment_id: int) -> bool: ...


class FeedbackLog(Protocol):
    def add(self, feedback: Feedback) -> None:
        """Set the person's verdict on the answer (one per person and answer); a None comment or passages
        leaves the ones already stored."""
        ...

    def all(self) -> list[Feedback]: ...

    def for_user(self, user_id: str) -> list[Feedback]: ...


class ManagerCohorts(Protocol):
    def cohorts(self, user_id: str) -> frozenset[str]: ...

    def assign(self, user_id: str, cohorts: Iterable[str], now: datetime) -> None: ...


class AuditLog(Protocol):
    def record(self, subject: str, action: str, now: datetime, detail: str | None = None,
               actor: str | None = None) -> None: ...


class UnitOfWork(Protocol):
    @property
    def users(self) -> Users: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def turns(self) -> Turns: ...

    @property
    def feedback(self) -> FeedbackLog: ...

    @property
    def commitments(self) -> Commitments: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class PeopleUnitOfWork(UnitOfWork, Protocol):
    """What changing a person's profile needs besides: a role change reaches the cohort limits of a manager."""

    @property
    def managers(self) -> ManagerCohorts: ...
