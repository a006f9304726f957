"""Reflective exercises: the YAML schema, working through steps, resuming, feedback with citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coaching.exercises import ExerciseLibrary, load_exercises
from bot.coaching.reflection import answer_step, exercise_feedback, start_or_resume_exercise
from bot.errors import ConfigurationError, InvalidInputError
from bot.retrieval.hits import Hit
from bot.storage import Database, connect


class FakeRetriever:
    """Records queries; returns one fixed passage of the guidance."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None) -> list[Hit]:
        self.queries.append(query)
        return [Hit("c1", "Partnership is a means and not an end.", "tizard-leading-questions-2010",
                    "Leading questions", 'Tizard (2010), "Leading questions", ¶4', "", "¶4", 1.0, 0.8)]


def test_working_through_an_exercise_gives_cited_feedback_and_offers_the_linked_attributes(
        db: Database, library: ExerciseLibrary) -> None:
    progress = start_or_resume_exercise(db.uow(), library, "u1", "adding-value")
    assert progress.step_index == 0 and progress.next_step and progress.next_step.id == "purpose"
    progress = answer_step(db.uow(), library, "u1", progress.session_id, "Reduce youth reoffending together")
    progress = answer_step(db.uow(), library, "u1", progress.session_id, "Very little, honestly")
    progress = answer_step(db.uow(), library, "u1", progress.session_id, 4)
    assert progress.finished and [a.step_id for a in progress.answers] == ["purpose", "alone", "confidence"]
    assert progress.answers[2].rating == 4
    retriever = FakeRetriever()
    feedback = exercise_feedback(progress, retriever)
    assert "Is this partnership adding value?" in feedback.text
    assert feedback.citations[0].citation.startswith("Tizard")
    assert "reoffending" in retriever.queries[0]  # retrieval is driven by the user's own answers
    assert feedback.attribute_ids == ("challenging-mentality", "shared-vision")


def test_a_restart_mid_exercise_resumes_at_the_next_unanswered_step(database_url: str,
                                                                     library: ExerciseLibrary) -> None:
    first = connect(database_url)
    progress = start_or_resume_exercise(first.uow(), library, "u1", "adding-value")
    answer_step(first.uow(), library, "u1", progress.session_id, "Our purpose")
    first.close()  # the process goes away
    second = connect(database_url)
    resumed = start_or_resume_exercise(second.uow(), library, "u1")
    assert resumed.resumed and resumed.session_id == progress.session_id
    assert resumed.next_step and resumed.next_step.id == "alone"
    assert [a.answer for a in resumed.answers] == ["Our purpose"]
    second.close()


def test_a_repeated_answer_to_the_same_step_is_ignored(db: Database, library: ExerciseLibrary) -> None:
    progress = start_or_resume_exercise(db.uow(), library, "u1", "listening-map")
    answer_step(db.uow(), library, "u1", progress.session_id, "The CCG", step_id="quiet")
    again = answer_step(db.uow(), library, "u1", progress.session_id, "The CCG", step_id="quiet")
    assert [a.step_id for a in again.answers] == ["quiet"] and again.next_step and again.next_step.id == "ask"


@pytest.mark.parametrize(("answer", "step_to_reach"), [("", 0), ("   ", 0), ("x" * 3001, 0), ("quit", 0), ("idk", 1),
                                                        ("n/a", 1), ("fine", 1), (0, 2), (6, 2), ("high", 2)])
def test_bad_answers_name_the_answer_field_and_store_nothing(db: Database, library: ExerciseLibrary,
                                                             answer: str | int, step_to_reach: int) -> None:
    progress = start_or_resume_exercise(db.uow(), library, "u1", "adding-value")
    for _ in range(step_to_reach):
        progress = answer_step(db.uow(), library, "u1", progress.session_id, "A real answer about our board")
    with pytest.raises(InvalidInputError) as info:
        answer_step(db.uow(), library, "u1", progress.session_id, answer)
    assert info.value.field == "answer"
    assert len(start_or_resume_exercise(db.uow(), library, "u1").answers) == step_to_reach


def test_an_unknown_exercise_is_an_error_listing_the_known_ones(db: Database, library: ExerciseLibrary) -> None:
    with pytest.raises(InvalidInputError) as info:
        start_or_resume_exercise(db.uow(), library, "u1", "no-such-exercise")
    assert info.value.field == "exercise"
    assert "adding-value" in str(info.value) and "listening-map" in str(info.value)


def test_without_a_named_exercise_the_lowest_rated_attribute_wins(db: Database, library: ExerciseLibrary) -> None:
    from bot.coaching.assessments import submit_assessment

    submit_assessment(db.uow(), "u1", {"listening": 1, "letting-go": 5, "challenging-mentality": 4,
                                       "shared-vision": 4, "patient-understanding": 2, "risk-management": 5})
    assert start_or_resume_exercise(db.uow(), library, "u1").exercise.id == "listening-map"


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("id: adding-value", "id: other-id"), "differs from the file name"),
    (lambda t: t.replace("[challenging-mentality, shared-vision]", "[charisma]"), "unknown attribute 'charisma'"),
    (lambda t: t.replace("source: tizard-leading-questions-2010", "source: nowhere"), "unknown passage source"),
    (lambda t: t + "colour: blue\n", "colour"),
    (lambda t: t.replace("kind: rating", "kind: essay"), "kind"),
    (lambda t: t.replace('{title}', '{name}'), "only {title}"),
], ids=["id-mismatch", "unknown-attribute", "unknown-source", "extra-field", "bad-kind", "bad-placeholder"])
def test_an_invalid_exercise_file_is_rejected_with_the_reason(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    source = Path(__file__).parent / "fixtures" / "exercises" / "adding-value.yaml"
    (tmp_path / "adding-value.yaml").write_text(edit(source.read_text()))
    with pytest.raises(ConfigurationError, match=r"adding-value\.yaml") as info:
        load_exercises(tmp_path)
    assert message in str(info.value)


def test_the_bundled_exercises_load_and_quote_the_guidance_verbatim() -> None:
    from bot.coaching.exercises import unquoted_passages
    from bot.paths import knowledge_dir

    if not (knowledge_dir() / "exercises").is_dir():
        pytest.skip("knowledge/exercises/ has not landed yet")
    library = load_exercises()
    assert len(library) >= 6
    assert unquoted_passages(library) == []


@pytest.mark.slow
def test_feedback_from_the_real_retriever_cites_the_guidance(db: Database, library: ExerciseLibrary,
                                                            guidance_retriever) -> None:  # type: ignore[no-untyped-def]
    from bot.coaching.exercises import known_sources

    progress = start_or_resume_exercise(db.uow(), library, "u1", "adding-value")
    for answer in ("Joint commissioning of youth services across the council and police",
                   "The council could run it alone, so I doubt the partnership adds value", 2):
        progress = answer_step(db.uow(), library, "u1", progress.session_id, answer)
    feedback = exercise_feedback(progress, guidance_retriever, k=3)
    assert len(feedback.citations) == 3
    assert {hit.source for hit in feedback.citations} <= set(known_sources())
    assert all(hit.citation and hit.text for hit in feedback.citations)
