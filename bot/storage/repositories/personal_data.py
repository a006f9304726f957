"""Whole-user operations over every table: export, erasure, retention purge.

Driven by the table metadata, so a table added later with a `user_id` column is covered without edits here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.storage.orm import (
    AuditRow,
    Base,
    CommitmentRow,
    FeedbackRow,
    InboxRow,
    ReflectionRow,
    SubmissionRow,
    TurnRow,
    UserRow,
)

# Children before parents, so erasure never relies on ON DELETE CASCADE to be counted.
_ERASE_ORDER = ["ratings", "reflections", "commitments", "exercise_sessions", "submissions", "deliveries",
                "subscriptions", "answer_feedback", "conversation_turns", "published_charts", "uploaded_files"]


def user_tables() -> list[Table]:
    """Every table holding rows that belong to a user through a `user_id` column (one that refers to `users`:
    slack_installations.user_id is a Slack installer's id, not a person of the coach)."""
    tables = [t for t in Base.metadata.sorted_tables
              if "user_id" in t.c and any(fk.column.table.name == "users" for fk in t.c.user_id.foreign_keys)]
    known = set(_ERASE_ORDER)
    return sorted(tables, key=lambda t: (_ERASE_ORDER.index(t.name) if t.name in known else -1))


def belongs_to(table: Table, user_id: str) -> ColumnElement[bool]:
    """The person's rows. Conversation turns written without a user (the coach's answers, on paths that do not
    know who asked) belong to whoever took part in that conversation: they were written to that person."""
    if table.name != TurnRow.__tablename__:
        return table.c.user_id == user_id
    theirs = select(table.c.conversation_id).where(table.c.user_id == user_id)
    return or_(table.c.user_id == user_id, and_(table.c.user_id.is_(None), table.c.conversation_id.in_(theirs)))


class PersonalDataRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def export_rows(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        users = UserRow.__table__
        out["users"] = [dict(r._mapping) for r in self.session.execute(select(users).where(users.c.id == user_id))]
        for table in user_tables():
            query = select(table).where(belongs_to(table, user_id)).order_by(*table.primary_key.columns)
            out[table.name] = [dict(r._mapping) for r in self.session.execute(query)]
        audit = AuditRow.__table__
        out["audit_log"] = [dict(r._mapping) for r in self.session.execute(
            select(audit).where(or_(audit.c.subject == user_id, audit.c.actor == user_id)).order_by(audit.c.id))]
        # Deliveries acknowledged but not yet done hold the person's message or form for a few seconds (longer
        # if a worker died): theirs too while they are there.
        inbox = InboxRow.__table__
        out["inbox"] = [dict(r._mapping) for r in self.session.execute(
            select(inbox).where(inbox.c.user_id == user_id).order_by(inbox.c.created_at))]
        return out

    def lock(self, user_id: str) -> None:
        """Until the transaction ends, a row written for the person (e.g. the record of a file being uploaded)
        waits, then fails on its foreign key if they were erased, instead of slipping in between the deletes.
        (SQLite's transactions here already hold the database's write lock.)"""
        self.session.execute(select(UserRow.id).where(UserRow.id == user_id).with_for_update())

    def erase(self, user_id: str) -> dict[str, int]:
        self.lock(user_id)
        counts: dict[str, int] = {}
        for table in user_tables():
            counts[table.name] = self._rowcount(delete(table).where(belongs_to(table, user_id)))
        counts["audit_log"] = self._rowcount(delete(AuditRow).where(AuditRow.subject == user_id))
        counts["users"] = self._rowcount(delete(UserRow).where(UserRow.id == user_id))
        return counts

    def purge_free_text(self, cutoff: datetime, turns_before: datetime | None = None) -> dict[str, int]:
        """Blank free text written before `cutoff` (conversation turns: before `turns_before`, default the same);
        ratings and the structure around them stay."""
        turns_before = cutoff if turns_before is None else turns_before
        return {
            "reflections.answer": self._rowcount(update(ReflectionRow).where(
                ReflectionRow.created_at < cutoff, ReflectionRow.answer.is_not(None)).values(answer=None)),
            "submissions.note": self._rowcount(update(SubmissionRow).where(
                SubmissionRow.created_at < cutoff, SubmissionRow.note.is_not(None)).values(note=None)),
            "answer_feedback.comment": self._rowcount(update(FeedbackRow).where(
                FeedbackRow.created_at < cutoff, FeedbackRow.comment.is_not(None)).values(comment=None)),
            "conversation_turns": self._rowcount(delete(TurnRow).where(TurnRow.created_at < turns_before)),
            # A commitment is its words: kept as long as other free text, then deleted whole.
            "commitments": self._rowcount(delete(CommitmentRow).where(CommitmentRow.created_at < cutoff)),
        }

    def _rowcount(self, statement: Any) -> int:
        return int(self.session.execute(statement).rowcount)  # type: ignore[attr-defined]
