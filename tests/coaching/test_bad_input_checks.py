"""The input checks behind the CLI's refusals: ratings are the ASCII digits 1-5, text a database cannot hold is
refused naming the field (never quoting the text), and an unexpected error is described without its text."""

from __future__ import annotations

import pytest

from bot.coaching.exercises import ExerciseLibrary
from bot.coaching.reflection import answer_step, start_or_resume_exercise
from bot.coaching.validation import note, rating
from bot.errors import InvalidInputError
from bot.storage import Database

PRIVATE = "MY-PRIVATE-WORDS"


@pytest.mark.parametrize("typed", ["²", "٣", "３", "3.0", "+3", "03", "", " ", "0", "6", "-1", "1 2", "\x00"])
def test_only_the_ascii_digits_1_to_5_are_ratings(typed: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        rating(typed, "ratings.listening")
    assert refused.value.field == "ratings.listening"


@pytest.mark.parametrize(("typed", "expected"), [("1", 1), (" 5 ", 5), ("3\n", 3)])
def test_an_ascii_digit_with_spaces_around_it_is_a_rating(typed: str, expected: int) -> None:
    assert rating(typed, "answer") == expected


def test_a_reflection_rating_step_refuses_other_digits_and_stores_nothing(db: Database,
                                                                          library: ExerciseLibrary) -> None:
    progress = start_or_resume_exercise(db.uow(), library, "u1")
    while progress.next_step is not None and progress.next_step.kind != "rating":
        progress = answer_step(db.uow(), library, "u1", progress.session_id, "a few words")
    assert progress.next_step is not None, "the fixture exercises have a rating step"
    with pytest.raises(InvalidInputError, match="digit 1, 2, 3, 4 or 5"):
        answer_step(db.uow(), library, "u1", progress.session_id, "٣")
    with db.uow() as uow:
        assert uow.exercises.get_session(progress.session_id).current_step == progress.step_index


@pytest.mark.parametrize("text", ["a\x00b", "a\udcffb"])
def test_text_no_database_can_hold_is_refused_naming_the_field_not_the_text(text: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        note(PRIVATE + text, field="answer")
    assert refused.value.field == "answer" and PRIVATE not in str(refused.value)


def test_a_nul_in_a_reflection_is_refused_before_the_database_on_every_backend(db: Database,
                                                                               library: ExerciseLibrary) -> None:
    progress = start_or_resume_exercise(db.uow(), library, "u1")
    with pytest.raises(InvalidInputError) as refused:
        answer_step(db.uow(), library, "u1", progress.session_id, PRIVATE + "\x00")
    assert refused.value.field == "answer" and PRIVATE not in str(refused.value)


def test_an_unexpected_error_shows_its_kind_and_place_but_not_its_text() -> None:
    from bot.cli.failures import describe

    try:
        int(PRIVATE)
    except ValueError as exc:
        message, code = describe(exc)
    assert code == 1 and "ValueError" in message and "test_bad_input_checks.py" in message
    assert PRIVATE not in message


@pytest.mark.parametrize(("error", "expected"), [
    (PermissionError(13, "Permission denied", "/srv/coach/out.json"), "/srv/coach/out.json: Permission denied"),
    (OSError(28, "No space left on device"), "No space left on device"),
    (BrokenPipeError(32, "Broken pipe"), "output was closed"),
])
def test_a_system_error_is_a_fault_named_by_its_file_or_its_cause(error: OSError, expected: str) -> None:
    from bot.cli.failures import describe

    message, code = describe(error)
    assert code == 1 and expected in message
