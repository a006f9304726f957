"""The Slack layer's records (feedback, which thread runs which exercise) through the coaching core's services."""

from __future__ import annotations

from collections.abc import Sequence

from bot.coaching.conversation import append_turn, recent_turns, record_feedback
from bot.storage import Database


class DatabaseFeedback:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, *, user_id: str, answer_id: str, helpful: bool, comment: str | None = None,
               passages: Sequence[str] | None = None) -> None:
        record_feedback(self._db.uow(), user_id, answer_id, helpful, comment, passages=passages)


class DatabaseExerciseThreads:
    """A system turn in the thread's own conversation, tied to the person, so an exercise carries on after a
    restart and erasure removes the tie with everything else of theirs."""

    MARKER = "exercise:"

    def __init__(self, db: Database) -> None:
        self._db = db

    def tie(self, thread_id: str, user_id: str, session_id: int) -> None:
        append_turn(self._db.uow(), thread_id, "system", f"{self.MARKER}{session_id}", user_id)

    def session_of(self, thread_id: str, user_id: str) -> int | None:
        for turn in reversed(recent_turns(self._db.uow(), thread_id, user_id, 50)):
            if turn.role == "system" and turn.content.startswith(self.MARKER):
                return int(turn.content.removeprefix(self.MARKER))
        return None
