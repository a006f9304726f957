"""The conversation core's unit of work in memory: same contract as the database one, nothing written to disk.

Changes made inside `with uow:` become visible to other units of work only on `commit()`, as in a database.
Several units of work made from one `MemoryStore` share its data (`store.uow()` is the factory).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from bot.coaching.model import Feedback, Turn, User


@dataclass
class _Data:
    users: dict[str, User] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)

    def copy(self) -> _Data:
        return _Data(dict(self.users), list(self.turns), list(self.feedback), list(self.audit))


class MemoryStore:
    """The committed data; hand `store.uow` to services as their unit-of-work factory."""

    def __init__(self) -> None:
        self.data = _Data()
        self.lock = threading.Lock()

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)


class _Users:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def get(self, user_id: str) -> User | None:
        return self._data.users.get(user_id)

    def ensure(self, user_id: str, now: datetime) -> User:
        return self._data.users.setdefault(user_id, User(id=user_id, created_at=now))

    def update(self, user_id: str, **fields: Any) -> None:
        if user_id in self._data.users:
            self._data.users[user_id] = replace(self._data.users[user_id], **fields)


class _Turns:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def append(self, turn: Turn) -> None:
        if turn.user_id is not None and turn.user_id not in self._data.users:
            raise ValueError(f"no user {turn.user_id!r}")  # the database's foreign key refuses this too
        self._data.turns.append(turn)

    def recent(self, conversation_id: str, user_id: str | None, limit: int) -> list[Turn]:
        mine = [t for t in self._data.turns if t.conversation_id == conversation_id and t.user_id == user_id]
        return mine[-limit:] if limit > 0 else []


class _Audit:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def record(self, subject: str, action: str, now: datetime, detail: str | None = None,
               actor: str | None = None) -> None:
        self._data.audit.append({"subject": subject, "action": action, "created_at": now, "detail": detail,
                                 "actor": actor or subject})


class _Feedback:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def add(self, feedback: Feedback) -> None:
        if feedback.user_id not in self._data.users:
            raise ValueError(f"no user {feedback.user_id!r}")
        self._data.feedback.append(feedback)  # a log; reads fold it into one verdict per person and answer

    def all(self) -> list[Feedback]:
        return _one_verdict_each(self._data.feedback)

    def for_user(self, user_id: str) -> list[Feedback]:
        return [f for f in self.all() if f.user_id == user_id]


def _one_verdict_each(log: list[Feedback]) -> list[Feedback]:
    """As the database keeps them: the latest verdict per person and answer, with the latest comment and
    passages given (a None one leaves the earlier)."""
    folded: dict[tuple[str, str], Feedback] = {}
    for f in log:
        known = folded.get((f.user_id, f.answer_id))
        if known is not None:
            f = replace(f, comment=known.comment if f.comment is None else f.comment,
                        passages=known.passages if f.passages is None else f.passages)
        folded[(f.user_id, f.answer_id)] = f
    return [replace(f, passages=f.passages or ()) for f in folded.values()]


class InMemoryUnitOfWork:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._work: _Data | None = None
        self._seen = (0, 0, 0)  # how many turns, feedback and audit rows the snapshot held: the rest are this work's

    def __enter__(self) -> Self:
        if self._work is not None:
            raise RuntimeError("this unit of work is already in use; nested `with uow:` is not supported")
        self.rollback()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._work = None  # uncommitted changes are dropped, like a rollback

    @property
    def users(self) -> _Users:
        return _Users(self._current())

    @property
    def turns(self) -> _Turns:
        return _Turns(self._current())

    @property
    def feedback(self) -> _Feedback:
        return _Feedback(self._current())

    @property
    def audit(self) -> _Audit:
        return _Audit(self._current())

    def commit(self) -> None:
        # Merged rather than swapped, so that two units of work committing in turn both keep their rows.
        work = self._current()
        with self._store.lock:
            data = self._store.data
            data.users.update(work.users)
            data.turns.extend(work.turns[self._seen[0]:])
            data.feedback.extend(work.feedback[self._seen[1]:])
            data.audit.extend(work.audit[self._seen[2]:])
            self._work = data.copy()
            self._seen = (len(data.turns), len(data.feedback), len(data.audit))

    def rollback(self) -> None:
        with self._store.lock:
            self._work = self._store.data.copy()
            self._seen = (len(self._work.turns), len(self._work.feedback), len(self._work.audit))

    def _current(self) -> _Data:
        if self._work is None:
            raise RuntimeError("use the unit of work inside `with uow:`")
        return self._work
