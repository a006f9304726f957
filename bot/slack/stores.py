"""The Slack layer's memory (feedback, thread turns) kept in the coach's database via its unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coaching.model import Feedback, Turn
from bot.storage import Database


class DatabaseFeedback:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, *, user_id: str, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        with self._db.uow() as uow:
            uow.users.ensure(user_id, datetime.now(UTC))
            uow.feedback.add(Feedback(user_id=user_id, answer_id=answer_id, helpful=helpful,
                                      created_at=datetime.now(UTC), comment=comment))
            uow.commit()


class DatabaseConversations:
    def __init__(self, db: Database) -> None:
        self._db = db

    def recent(self, conversation_id: str, limit: int) -> list[tuple[str, str]]:
        with self._db.uow() as uow:
            return [(t.role, t.content) for t in uow.turns.recent(conversation_id, limit)]

    def append(self, conversation_id: str, user_id: str | None, role: str, content: str) -> None:
        with self._db.uow() as uow:
            if user_id:
                uow.users.ensure(user_id, datetime.now(UTC))
            uow.turns.append(Turn(conversation_id=conversation_id, role=role, content=content,
                                  created_at=datetime.now(UTC), user_id=user_id))
            uow.commit()
