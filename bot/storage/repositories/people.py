"""Users, the audit log, processed Slack events, answer feedback and conversation turns."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.coaching.model import AuditEntry, Feedback, Turn, User
from bot.storage.orm import AuditRow, FeedbackRow, ProcessedEventRow, TurnRow, UserRow
from bot.storage.sql import insert_ignoring_conflict, upsert


def _user(row: UserRow) -> User:
    return User(id=row.id, created_at=row.created_at, notice_shown_at=row.notice_shown_at, timezone=row.timezone,
                cohort=row.cohort, role=row.role)


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: str) -> User | None:
        row = self.session.get(UserRow, user_id)
        return _user(row) if row else None

    def ensure(self, user_id: str, now: datetime) -> User:
        """The user, created on first sight (two processes creating one user at once is fine)."""
        insert_ignoring_conflict(self.session, UserRow.__table__, {  # type: ignore[arg-type]
            "id": user_id, "created_at": now, "timezone": "Europe/London", "role": "officer"}, ["id"], "id")
        user = self.get(user_id)
        assert user is not None
        return user

    def update(self, user_id: str, **fields: Any) -> None:
        self.session.execute(update(UserRow).where(UserRow.id == user_id).values(**fields))


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, subject: str, action: str, now: datetime, detail: str | None = None,
               actor: str | None = None) -> None:
        """`actor` did `action` to `subject`'s data; the actor is the subject themselves unless named."""
        self.session.add(AuditRow(actor=actor or subject, subject=subject, action=action, detail=detail,
                                  created_at=now))

    def entries(self, *, subject: str | None = None, actor: str | None = None) -> list[AuditEntry]:
        """The entries about `subject` and/or by `actor`, oldest first."""
        query = select(AuditRow).order_by(AuditRow.id)
        if subject is not None:
            query = query.where(AuditRow.subject == subject)
        if actor is not None:
            query = query.where(AuditRow.actor == actor)
        return [AuditEntry(r.actor, r.subject, r.action, r.detail, r.created_at) for r in self.session.scalars(query)]

    def replace_actor(self, actor: str, replacement: str) -> int:
        """Erasure: entries the person made about someone else stay (they are the other's record), under a
        pseudonym."""
        result = self.session.execute(update(AuditRow).where(AuditRow.actor == actor).values(actor=replacement))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def for_subject(self, subject: str) -> list[tuple[str, str | None, datetime]]:
        rows = self.session.execute(
            select(AuditRow.action, AuditRow.detail, AuditRow.created_at)
            .where(AuditRow.subject == subject).order_by(AuditRow.id)
        )
        return [(r.action, r.detail, r.created_at) for r in rows]


def event_key(key: str) -> str:
    """What is stored for a claimed key: its hash, so no key identifies a person (see ProcessedEventRow)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class EventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, key: str, now: datetime) -> bool:
        """True the first time `key` is claimed, False afterwards, whichever process asks."""
        table = ProcessedEventRow.__table__
        values = {"key": event_key(key), "created_at": now}
        return insert_ignoring_conflict(self.session, table, values, ["key"], "key") is not None  # type: ignore[arg-type]

    def purge_before(self, cutoff: datetime) -> int:
        result = self.session.execute(delete(ProcessedEventRow).where(ProcessedEventRow.created_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]


class FeedbackRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, feedback: Feedback) -> None:
        """The person's verdict on the answer, replacing their earlier one (one statement: two clicks racing
        leave one row)."""
        values: dict[str, Any] = {"user_id": feedback.user_id, "answer_id": feedback.answer_id,
                                  "helpful": feedback.helpful, "created_at": feedback.created_at}
        if feedback.conversation_id is not None:
            values["conversation_id"] = feedback.conversation_id
        if feedback.comment is not None:
            values["comment"] = feedback.comment
        if feedback.passages is not None:
            values["passages"] = json.dumps(list(feedback.passages))
        upsert(self.session, FeedbackRow.__table__, values, ["user_id", "answer_id"])  # type: ignore[arg-type]

    def for_user(self, user_id: str) -> list[Feedback]:
        rows = self.session.scalars(select(FeedbackRow).where(FeedbackRow.user_id == user_id).order_by(FeedbackRow.id))
        return [_feedback(r) for r in rows]

    def all(self) -> list[Feedback]:
        return [_feedback(r) for r in self.session.scalars(select(FeedbackRow).order_by(FeedbackRow.id))]


def _feedback(r: FeedbackRow) -> Feedback:
    return Feedback(user_id=r.user_id, answer_id=r.answer_id, helpful=r.helpful, created_at=r.created_at,
                    conversation_id=r.conversation_id, comment=r.comment,
                    passages=tuple(json.loads(r.passages)) if r.passages else ())


class TurnRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, turn: Turn) -> None:
        self.session.add(TurnRow(conversation_id=turn.conversation_id, user_id=turn.user_id, role=turn.role,
                                 content=turn.content, created_at=turn.created_at, answered=turn.answered))

    def recent(self, conversation_id: str, user_id: str | None, limit: int) -> list[Turn]:
        """The person's last `limit` turns of a conversation, oldest first (ready to hand to a chat model).

        Keyed by person as well: someone else's turns under the same conversation id are never returned."""
        person = TurnRow.user_id.is_(None) if user_id is None else TurnRow.user_id == user_id
        rows = list(self.session.scalars(
            select(TurnRow).where(TurnRow.conversation_id == conversation_id, person)
            .order_by(TurnRow.id.desc()).limit(limit)
        ))
        return [Turn(conversation_id=r.conversation_id, role=r.role, content=r.content, created_at=r.created_at,
                     user_id=r.user_id, answered=r.answered) for r in reversed(rows)]

    def of_person(self, user_id: str) -> list[Turn]:
        """Everything kept as the person's conversation memory: their turns and the replies to them, oldest first."""
        from bot.storage.repositories.personal_data import belongs_to

        table = TurnRow.__table__
        rows = self.session.scalars(select(TurnRow).where(belongs_to(table, user_id))  # type: ignore[arg-type]
                                    .order_by(TurnRow.id))
        return [Turn(conversation_id=r.conversation_id, role=r.role, content=r.content, created_at=r.created_at,
                     user_id=r.user_id, answered=r.answered) for r in rows]

    def forget_person(self, user_id: str) -> int:
        """Delete the person's conversation memory (as `of_person` reads it); how many turns went."""
        from bot.storage.repositories.personal_data import belongs_to

        table = TurnRow.__table__
        return int(self.session.execute(delete(table).where(belongs_to(table, user_id))).rowcount)  # type: ignore[arg-type,attr-defined]
