"""Migration 0012 on a database that holds feedback: the clicks and comments each person left on an answer
become their one verdict (the latest), keeping their latest comment; then a second row for it is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.storage.engine import make_engine
from tests.storage.test_notice_migration import _migrate

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_earlier_clicks_fold_into_one_verdict_per_person_and_answer(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _migrate(engine, "0008")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO users (id, created_at, timezone, role) VALUES "
                                    "('u1', :t, 'Europe/London', 'officer'), ('u2', :t, 'Europe/London', 'officer')"),
                               {"t": T0})
            connection.execute(text(
                "INSERT INTO answer_feedback (user_id, answer_id, helpful, comment, created_at) VALUES "
                "('u1', 'a1', false, NULL, :t), ('u1', 'a1', false, 'Too short', :t), "
                "('u1', 'a1', true, NULL, :t), ('u2', 'a1', false, NULL, :t), ('u1', 'a2', true, NULL, :t)"),
                {"t": T0})
        _migrate(engine, "head")
        with engine.begin() as connection:
            rows = connection.execute(text("SELECT user_id, answer_id, helpful, comment, passages "
                                           "FROM answer_feedback ORDER BY user_id, answer_id")).all()
        assert [tuple(r) for r in rows] == [("u1", "a1", True, "Too short", None), ("u1", "a2", True, None, None),
                                            ("u2", "a1", False, None, None)]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("INSERT INTO answer_feedback (user_id, answer_id, helpful, created_at) "
                                    "VALUES ('u2', 'a1', true, :t)"), {"t": T0})
    finally:
        engine.dispose()
