"""A person's verdict on an answer: one per person and answer, changeable, stored with the passages the answer
cited; the evals read them without anyone's id or comment. The same on the database and the in-memory store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.coaching.conversation import record_feedback
from bot.coaching.memory_uow import MemoryStore
from bot.evaluation.feedback import feedback_summary
from bot.storage import connect
from tests.storage.databases import BACKENDS, make_database_url

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture(params=["memory", *BACKENDS])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Any]]:
    if request.param == "memory":
        yield MemoryStore().uow
        return
    for url in make_database_url(request.param, tmp_path):
        db = connect(url)
        yield db.uow
        db.close()


def test_a_changed_verdict_replaces_the_first_and_keeps_the_comment_and_passages(uow: Callable[[], Any]) -> None:
    record_feedback(uow(), "u1", "D1|1.0", helpful=False, passages=["doc:a:1", "doc:b:2"], now=NOW)
    record_feedback(uow(), "u1", "D1|1.0", helpful=False, comment="It missed the NHS side", now=NOW)
    record_feedback(uow(), "u1", "D1|1.0", helpful=True, now=NOW)
    with uow() as work:
        [verdict] = work.feedback.for_user("u1")
    assert (verdict.helpful, verdict.comment, verdict.passages) == (True, "It missed the NHS side",
                                                                    ("doc:a:1", "doc:b:2"))


def test_verdicts_are_counted_by_the_passages_behind_them_without_ids_or_comments(uow: Callable[[], Any]) -> None:
    record_feedback(uow(), "u1", "a1", helpful=False, comment="private words", passages=["p1", "p2"], now=NOW)
    record_feedback(uow(), "u2", "a1", helpful=False, passages=["p1", "p2"], now=NOW)
    record_feedback(uow(), "u1", "a2", helpful=True, passages=["p2", "p3"], now=NOW)
    summary = feedback_summary(uow())
    assert (summary.verdicts, summary.helpful, summary.answers, summary.with_comment) == (3, 1, 2, 1)
    assert [(p.chunk_id, p.not_helpful, p.helpful) for p in summary.passages] == [
        ("p2", 2, 1), ("p1", 2, 0), ("p3", 0, 1)]
    assert "private words" not in repr(summary) and "u1" not in repr(summary)
