"""Self-assessments: stored whole, idempotent by key, bad input rejected with the field named."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.errors import InvalidInputError
from bot.storage import Database
from bot.storage.orm import RatingRow, SubmissionRow, UserRow

ALL_THREES = dict.fromkeys(attributes().ids, 3)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _counts(db: Database) -> tuple[int, int, int]:
    with db.engine.connect() as connection:
        return tuple(connection.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (UserRow, SubmissionRow, RatingRow))


def test_a_full_submission_stores_one_row_per_attribute_with_the_note(db: Database) -> None:
    result = submit_assessment(db.uow(), "slack:T1:U1", ALL_THREES, notes="A good week", now=NOW)
    assert result.created and len(result.submission.ratings) == 9
    assert result.submission.note == "A good week" and result.submission.created_at == NOW
    assert _counts(db) == (1, 1, 9)


def test_a_quick_check_in_rates_a_subset(db: Database) -> None:
    result = submit_assessment(db.uow(), "u1", {"listening": 2, "letting-go": 5})
    assert {(r.attribute_id, r.rating) for r in result.submission.ratings} == {("listening", 2), ("letting-go", 5)}


def test_duplicate_submission_key_stores_once(db: Database) -> None:
    first = submit_assessment(db.uow(), "u1", ALL_THREES, submission_key="slack-retry-1")
    again = submit_assessment(db.uow(), "u1", {"listening": 5}, submission_key="slack-retry-1")
    assert first.created and not again.created
    assert again.submission == first.submission
    assert _counts(db) == (1, 1, 9)


def test_the_same_key_from_two_users_is_two_submissions(db: Database) -> None:
    submit_assessment(db.uow(), "u1", {"listening": 3}, submission_key="k")
    submit_assessment(db.uow(), "u2", {"listening": 3}, submission_key="k")
    assert _counts(db) == (2, 2, 2)


def test_200_concurrent_submissions_from_threads_are_all_stored(db: Database) -> None:
    def submit(i: int) -> bool:
        return submit_assessment(db.uow(), f"user-{i % 20}", ALL_THREES, notes=f"n{i}", submission_key=f"k{i}").created

    with ThreadPoolExecutor(max_workers=16) as pool:
        created = list(pool.map(submit, range(200)))
    assert all(created)
    assert _counts(db) == (20, 200, 1800)


def test_concurrent_retries_with_one_key_store_once(db: Database) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: submit_assessment(db.uow(), "u1", ALL_THREES, submission_key="same"),
                                range(16)))
    assert sum(r.created for r in results) == 1
    assert len({r.submission.id for r in results}) == 1
    assert _counts(db) == (1, 1, 9)


@pytest.mark.parametrize(("ratings", "notes", "key", "field"), [
    ({"listening": 0}, None, None, "ratings.listening"),
    ({"listening": 6}, None, None, "ratings.listening"),
    ({"listening": 2.5}, None, None, "ratings.listening"),
    ({"listening": True}, None, None, "ratings.listening"),
    ({"listening": "3"}, None, None, "ratings.listening"),
    ({"listening": 3, "charisma": 4}, None, None, "ratings.charisma"),
    ({}, None, None, "ratings"),
    ({"listening": 3}, "x" * 3001, None, "notes"),
    ({"listening": 3}, None, "", "submission_key"),
], ids=["zero", "six", "fraction", "bool", "string", "unknown-attribute", "empty", "note-3001-chars", "empty-key"])
def test_bad_input_names_the_field_and_stores_nothing(db: Database, ratings, notes, key, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError) as info:
        submit_assessment(db.uow(), "u1", {**ALL_THREES, **ratings} if ratings else {}, notes=notes,
                          submission_key=key)
    assert info.value.field == field
    assert _counts(db) == (0, 0, 0)


def test_a_note_of_exactly_3000_characters_is_accepted(db: Database) -> None:
    assert submit_assessment(db.uow(), "u1", {"listening": 3}, notes="y" * 3000).submission.note == "y" * 3000


def test_control_characters_and_slack_markup_in_notes_are_stored_as_typed(db: Database) -> None:
    typed = "<!channel> *bold* <@U123> & \x07bell\x1b[31m red\ttab\nline"
    submit_assessment(db.uow(), "u1", {"listening": 3}, notes=typed)
    with db.engine.connect() as connection:
        assert connection.execute(select(SubmissionRow.note)).scalar_one() == typed
