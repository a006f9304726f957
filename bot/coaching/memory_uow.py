"""The conversation core's unit of work in memory: same contract as the database one, nothing written to disk.

Changes made inside `with uow:` become visible to other units of work only on `commit()`, as in a database.
Several units of work made from one `MemoryStore` share its data (`store.uow()` is the factory).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from bot.coaching.model import Commitment, Feedback, Turn, User


@dataclass
class _Data:
    users: dict[str, User] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    commitments: dict[int, Commitment] = field(default_factory=dict)
    forgotten: set[str] = field(default_factory=set)  # people whose conversation memory this work deleted
    touched: set[int] = field(default_factory=set)  # commitments this work added, changed or deleted
    seen_turns: int = 0  # how many of `turns` were committed before this work began (the rest are its own)

    def copy(self) -> _Data:
        return _Data(dict(self.users), list(self.turns), list(self.feedback), list(self.audit),
                     dict(self.commitments))


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

    def of_person(self, user_id: str) -> list[Turn]:
        return [t for t in self._data.turns if self._theirs(t, user_id)]

    def forget_person(self, user_id: str) -> int:
        data = self._data
        old, new = data.turns[:data.seen_turns], data.turns[data.seen_turns:]
        kept_old = [t for t in old if not self._theirs(t, user_id)]
        kept_new = [t for t in new if not self._theirs(t, user_id)]
        gone = len(data.turns) - len(kept_old) - len(kept_new)
        data.turns[:] = kept_old + kept_new
        data.seen_turns = len(kept_old)
        self._data.forgotten.add(user_id)
        return gone

    def _theirs(self, turn: Turn, user_id: str) -> bool:
        # As in the database: the coach's replies written without a user belong to whoever took part.
        if turn.user_id is not None:
            return turn.user_id == user_id
        return any(t.user_id == user_id and t.conversation_id == turn.conversation_id for t in self._data.turns)


class _Commitments:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def add(self, user_id: str, what: str, now: datetime, *, due_on: date | None = None,
            with_whom: str | None = None, exercise_id: str | None = None,
            session_id: int | None = None) -> Commitment | None:
        if user_id not in self._data.users:
            raise ValueError(f"no user {user_id!r}")
        if session_id is not None and any(c.user_id == user_id and c.session_id == session_id
                                           for c in self._data.commitments.values()):
            return None  # the database's unique (user_id, session_id) does the same
        new_id = max(self._data.commitments, default=0) + 1
        made = Commitment(id=new_id, user_id=user_id, what=what, created_at=now, updated_at=now,
                          exercise_id=exercise_id, session_id=session_id, due_on=due_on, with_whom=with_whom)
        self._data.commitments[new_id] = made
        self._data.touched.add(new_id)
        return made

    def get(self, user_id: str, commitment_id: int) -> Commitment | None:
        found = self._data.commitments.get(commitment_id)
        return found if found is not None and found.user_id == user_id else None

    def for_user(self, user_id: str) -> list[Commitment]:
        return sorted((c for c in self._data.commitments.values() if c.user_id == user_id),
                      key=lambda c: (c.created_at, c.id))

    def update(self, user_id: str, commitment_id: int, **fields: Any) -> bool:
        found = self.get(user_id, commitment_id)
        if found is None:
            return False
        self._data.commitments[commitment_id] = replace(found, **fields)
        self._data.touched.add(commitment_id)
        return True

    def delete(self, user_id: str, commitment_id: int) -> bool:
        if self.get(user_id, commitment_id) is None:
            return False
        del self._data.commitments[commitment_id]
        self._data.touched.add(commitment_id)
        return True


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
    def commitments(self) -> _Commitments:
        return _Commitments(self._current())

    @property
    def audit(self) -> _Audit:
        return _Audit(self._current())

    def commit(self) -> None:
        # Merged rather than swapped, so that two units of work committing in turn both keep their rows.
        work = self._current()
        with self._store.lock:
            data = self._store.data
            data.users.update(work.users)
            for person in work.forgotten:  # deletions first, so that this work's own new turns are kept
                data.turns[:] = [t for t in data.turns if not _Turns(data)._theirs(t, person)]
            for commitment_id in work.touched:
                if commitment_id in work.commitments:
                    data.commitments[commitment_id] = work.commitments[commitment_id]
                else:
                    data.commitments.pop(commitment_id, None)
            data.turns.extend(work.turns[work.seen_turns:])
            data.feedback.extend(work.feedback[self._seen[1]:])
            data.audit.extend(work.audit[self._seen[2]:])
            self._work = data.copy()
            self._work.seen_turns = len(data.turns)
            self._seen = (len(data.turns), len(data.feedback), len(data.audit))

    def rollback(self) -> None:
        with self._store.lock:
            self._work = self._store.data.copy()
            self._work.seen_turns = len(self._work.turns)
            self._seen = (len(self._work.turns), len(self._work.feedback), len(self._work.audit))

    def _current(self) -> _Data:
        if self._work is None:
            raise RuntimeError("use the unit of work inside `with uow:`")
        return self._work
