"""Feedback after an exercise is about what the person wrote, and non-answers are asked again, not stored."""

from __future__ import annotations

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.coaching.exercises import ExerciseLibrary, exercise_library
from bot.coaching.feedback import is_non_answer
from bot.coaching.reflection import answer_step, exercise_feedback, start_or_resume_exercise
from bot.errors import InvalidInputError
from bot.retrieval.hits import Hit
from bot.storage import Database

NAMES = {a.id: a.name for a in attributes().attributes}


class OnePassage:
    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None) -> list[Hit]:
        return [Hit("c1", "Leaders have to be ready to trade objectives and resources with partners so that there "
                    "is a rational reason for each partner to participate.", "tizard-leading-questions-2010",
                    "Leading questions", 'Tizard (2010), "Leading questions"', "", "", 1.0, 0.8)]


@pytest.fixture
def bundled() -> ExerciseLibrary:
    return exercise_library()


def _work_through(db: Database, library: ExerciseLibrary, exercise_id: str, answers: list[str | int]):  # type: ignore[no-untyped-def]
    progress = start_or_resume_exercise(db.uow(), library, "officer-1", exercise_id)
    for answer in answers:
        progress = answer_step(db.uow(), library, "officer-1", progress.session_id, answer)
    assert progress.finished
    return progress


def test_the_feedback_reflects_back_the_partner_and_the_trade_the_person_wrote(
        db: Database, bundled: ExerciseLibrary) -> None:
    progress = _work_through(db, bundled, "win-win", [
        "The police get fewer repeat call-outs to the same families",
        "Our youth workers' time on Friday nights, in exchange for shared call-out data",
        "They agreed when we brought the data, not when we quoted our statutory duty", 2])
    feedback = exercise_feedback(progress, OnePassage(), attribute_names=NAMES)
    assert "“Our youth workers' time on Friday nights, in exchange for shared call-out data”" in feedback.text
    assert any("fewer repeat call-outs" in line for line in feedback.recap)
    assert any(line.startswith("You rated this 2/5") for line in feedback.recap)


def test_two_people_who_write_different_things_get_different_feedback(db: Database, bundled: ExerciseLibrary) -> None:
    first = exercise_feedback(_work_through(db, bundled, "letting-go", [
        "Chairing the community safety board", "The police district commander", "Nothing much, honestly",
        "My deputy", 4]), None)
    second = exercise_feedback(start_or_resume_exercise(db.uow(), bundled, "officer-2", "letting-go"), None)
    assert "“Chairing the community safety board”" in first.text and "“The police district commander”" in first.text
    assert first.text != second.text


def test_the_rating_is_set_beside_the_persons_latest_self_ratings_on_the_linked_attributes(
        db: Database, bundled: ExerciseLibrary) -> None:
    submit_assessment(db.uow(), "officer-1", {"letting-go": 5, "building-relationships": 5})
    progress = _work_through(db, bundled, "letting-go", [
        "Chairing the community safety board", "The police district commander", "Nothing much, honestly",
        "My deputy", 1])
    with db.uow() as uow:
        earlier = uow.assessments.latest_ratings("officer-1")
    feedback = exercise_feedback(progress, None, earlier_ratings=earlier, attribute_names=NAMES)
    [comparison] = [line for line in feedback.recap if "latest self-assessment" in line]
    assert "Letting go 5/5" in comparison and "lower than your self-ratings" in comparison


def test_each_passage_says_why_it_was_chosen_from_the_words_written(db: Database, bundled: ExerciseLibrary) -> None:
    progress = _work_through(db, bundled, "win-win", [
        "The police get fewer repeat call-outs", "Resources: our youth workers' time",
        "They agreed when we brought the data", 3])
    feedback = exercise_feedback(progress, OnePassage())
    assert feedback.reasons == ("Chosen because you wrote about ‘resources’.",)


class Recording:
    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None) -> list[Hit]:
        self.queries.append(query)
        return OnePassage().search(query, k)


def test_the_passages_are_searched_for_the_distinctive_words_of_every_answer_however_long_the_first(
        db: Database, bundled: ExerciseLibrary) -> None:
    long_first = "The police get fewer repeat call-outs to the same families on the estate, " * 14  # ~1,000 chars
    progress = _work_through(db, bundled, "win-win", [
        long_first, "Our youth workers' time on Friday nights, in exchange for shared call-out data",
        "The superintendent agreed once Barnardo's brought the eviction figures", 2])
    searched = Recording()
    exercise_feedback(progress, searched)
    [query] = searched.queries
    for word in ("police", "call-outs", "youth", "Friday", "superintendent", "Barnardo's", "eviction"):
        assert word in query.split()  # the last answer counts as much as the first
    title = bundled.get("win-win").title
    assert query.startswith(title)  # on the exercise's subject
    said = query.removeprefix(title).split()
    assert "the" not in said and len(said) <= 40  # short: embedding it is most of the feedback's time


@pytest.mark.parametrize("answer", ["quit", "idk", "I don't know", "n/a", "N/A.", "-", "maybe", "fine", "   "])
def test_a_non_answer_is_refused_with_the_steps_hint_and_nothing_is_stored(
        db: Database, bundled: ExerciseLibrary, answer: str) -> None:
    progress = start_or_resume_exercise(db.uow(), bundled, "officer-1", "win-win")
    with pytest.raises(InvalidInputError) as info:
        answer_step(db.uow(), bundled, "officer-1", progress.session_id, answer)
    assert info.value.field == "answer"
    assert start_or_resume_exercise(db.uow(), bundled, "officer-1", "win-win").answers == ()


def test_a_name_is_a_whole_answer_where_the_step_asks_for_one() -> None:
    letting_go = exercise_library().get("letting-go")
    who = next(s for s in letting_go.steps if s.id == "who")
    fear = next(s for s in letting_go.steps if s.id == "fear")
    assert not is_non_answer("Barnardo's", who) and not is_non_answer("nobody", who)
    assert is_non_answer("nothing", fear) and is_non_answer("quit", who)
