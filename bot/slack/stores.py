"""The Slack layer's memory (feedback, thread turns) through the coaching core's services."""

from __future__ import annotations

from bot.coaching.conversation import append_turn, recent_turns, record_feedback
from bot.storage import Database


class DatabaseFeedback:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, *, user_id: str, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        record_feedback(self._db.uow(), user_id, answer_id, helpful, comment)


class DatabaseConversations:
    def __init__(self, db: Database) -> None:
        self._db = db

    def recent(self, conversation_id: str, limit: int) -> list[tuple[str, str]]:
        return [(t.role, t.content) for t in recent_turns(self._db.uow(), conversation_id, limit)]

    def append(self, conversation_id: str, user_id: str | None, role: str, content: str) -> None:
        append_turn(self._db.uow(), conversation_id, role, content, user_id)
