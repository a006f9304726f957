"""The closing feedback is about what this person wrote: the partners and the difficulty they described, in
their own words (never cut inside a word), guidance that depends on the rating they gave, and one open,
single, non-leading question at the end. Fast: no database, no search index."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.coaching.exercises import Exercise, Guide, exercise_library, question_problem
from bot.coaching.feedback_text import clipped, compose
from bot.coaching.model import Reflection
from bot.coaching.reflection import ExerciseProgress, exercise_feedback

NOW = datetime(2026, 12, 3, tzinfo=UTC)
POLICE_LED = [
    "The police district commander chairs it and his analyst writes the papers; the council just books the room. "
    "The agenda is whatever the police want that quarter.",
    "The police are very committed but it is their partnership. The districts send junior officers who cannot "
    "commit anything, and probation rarely comes.", 2,
    "The agenda: a rotating lead partner sets the agenda for each quarter"]
HEALTH_BOARD = [
    "Our cabinet member chairs the health and wellbeing board and public health writes the papers.",
    "The ICB place director comes but never commits money at the table. The VCS rep thinks decisions are made "
    "before the meeting, in the pre-meet we hold with the ICB.", 2,
    "The pre-meet: open it to the VCS rep and Healthwatch, or drop it"]


def _answers(exercise: Exercise, said: list[str | int]) -> tuple[Reflection, ...]:
    return tuple(Reflection(n, "officer-1", 1, exercise.id, step.id, step.prompt,
                            None if isinstance(a, int) else a, a if isinstance(a, int) else None, NOW, NOW)
                 for n, (step, a) in enumerate(zip(exercise.steps, said, strict=True)))


def _feedback(exercise_id: str, said: list[str | int], **kwargs: object) -> str:
    exercise = exercise_library().get(exercise_id)
    return compose(exercise, _answers(exercise, said), **kwargs)  # type: ignore[arg-type]


def _realistic(exercise: Exercise, rating: int) -> list[str | int]:
    return [rating if step.kind == "rating" else
            f"The district council's housing team, on {step.id}: they never commit staff time, but they want fewer "
            "emergency placements" for step in exercise.steps]


def test_two_officers_with_different_partnerships_get_feedback_naming_their_own_partners_and_blockages() -> None:
    police = _feedback("dominating", POLICE_LED)
    health = _feedback("dominating", HEALTH_BOARD)
    assert "the police" in police and "the ICB" not in police
    assert "the ICB" in health and "the police" not in health
    assert "“The districts send junior officers who cannot commit anything, and probation rarely comes.”" in police
    assert "never commits money at the table" in health and "junior officers" not in health
    # the question goes to a partner who holds back, as this person described them
    assert police.splitlines()[-1] == "What would the district councils say, privately, about how the meetings are run?"
    assert health.splitlines()[-1] == "What would the ICB say, privately, about how the meetings are run?"


def test_the_police_setting_the_agenda_is_not_fed_back_as_council_dominance() -> None:
    police = _feedback("dominating", POLICE_LED)
    assert "“The police district commander chairs it and his analyst writes the papers" in police
    assert "your council" not in police.lower() and "council dominated" not in police


@pytest.mark.parametrize("exercise_id", exercise_library().ids)
def test_a_low_and_a_high_rating_get_different_guidance_in_every_exercise(exercise_id: str) -> None:
    exercise = exercise_library().get(exercise_id)
    low, high = (_feedback(exercise_id, _realistic(exercise, n)) for n in (1, 5))
    assert low != high
    assert "At 1/5" in low and "At 5/5" in high  # each says what the rating given means


@pytest.mark.parametrize("exercise_id", exercise_library().ids)
def test_every_feedback_ends_with_one_open_question_and_asks_nothing_before_it(exercise_id: str) -> None:
    exercise = exercise_library().get(exercise_id)
    text = _feedback(exercise_id, _realistic(exercise, 3))
    *body, question = text.split("\n\n")
    assert question_problem(question) is None, question
    # advice, then a single question, not several ("?" inside the person's words or a quoted ‘why?’ aside)
    assert "?" not in re.sub(r"“[^”]*”|‘[^’]*’", "", " ".join(body))


def test_a_long_answer_is_quoted_to_the_end_of_a_clause_never_inside_a_word() -> None:
    said = ("The ICB place director attends every meeting and is personally supportive, but never commits money "
            "at the table because every spending decision has to go back to the ICB board and its finance committee")
    cut = clipped(said)
    assert cut.endswith("…") and len(cut) <= 151
    kept = cut.removesuffix("…")
    assert said.startswith(kept) and said[len(kept)] in " ,;"  # the cut falls between words, at a clause
    assert clipped("The police set the agenda.") == "The police set the agenda."  # short: whole


def test_the_whole_feedback_never_cuts_the_persons_words_mid_word() -> None:
    handover = ("The pre-meet with the ICB: either we open it to the VCS representative, Healthwatch and the "
                "districts, or we drop it altogether and take every decision in the room where everyone can see it")
    written = [*HEALTH_BOARD[:3], handover]
    text = _feedback("dominating", written)
    cut = re.findall(r"“([^”]*)…”", text)
    assert cut  # the long handover is quoted in part
    for quote in cut:
        assert re.search(r"\w$", quote)  # ends on a whole word
        assert any(str(answer).startswith(quote) for answer in written)


def test_a_skipped_rating_takes_its_guidance_from_the_latest_self_ratings_and_says_so() -> None:
    exercise = exercise_library().get("letting-go")
    said: list[str | int] = ["Chairing the ASB subgroup", "The police neighbourhood inspector",
                             "Members would blame me if fly-tipping fell off the agenda", "My director"]
    answers = _answers(exercise, [*said, 3])[:-1]  # the rating step was skipped
    low = compose(exercise, answers, {"letting-go": 1, "building-relationships": 2}, {"letting-go": "Letting go"})
    high = compose(exercise, answers, {"letting-go": 5, "building-relationships": 5}, {"letting-go": "Letting go"})
    assert "your latest self-assessment (Letting go 1/5" in low
    assert low != high and "need to keep control" in low and "ready now" in high


@pytest.mark.parametrize(("question", "problem"), [
    ("Do you think the police dominate?", "open word"),
    ("What would they say? And what would you do?", "exactly one question"),
    ("Why don't you hand over the chair?", "open word"),
    ("What, surely, is stopping you?", "lead"),
])
def test_a_closed_double_or_leading_question_is_refused_when_exercises_load(question: str, problem: str) -> None:
    found = question_problem(question)
    assert found is not None and problem in found
    with pytest.raises(ValueError, match="feedback question"):
        Guide(point="p", low="l", middle="m", high="h", question=question)


def test_the_feedback_names_what_was_written_when_no_index_is_built() -> None:
    exercise = exercise_library().get("win-win")
    answers = _answers(exercise, ["Age UK get a funded contract and a seat at the table",
                                  "A three-year grant rather than annual", "We co-designed the service with them", 4])
    shown = exercise_feedback(ExerciseProgress(1, "officer-1", exercise, len(exercise.steps), answers), None)
    assert shown.citations == () and shown.excerpts == ()
    assert shown.text.splitlines()[-1] == "What would Age UK say they get out of this partnership, in their own words?"


def test_passages_are_chosen_for_the_answers_by_rare_words_and_shown_from_a_sentence_start(
        guidance_retriever) -> None:  # type: ignore[no-untyped-def]
    from bot.coaching.feedback_passages import RARE_SHARE
    from bot.retrieval.lexical import terms

    exercise = exercise_library().get("dominating")
    progress = ExerciseProgress(1, "officer-1", exercise, len(exercise.steps), _answers(exercise, POLICE_LED))
    shown = exercise_feedback(progress, guidance_retriever)
    assert len(shown.citations) == len(shown.reasons) == len(shown.excerpts) == 3
    recaps = tuple(f"Chosen for what you wrote on {s.recap.lower()}" for s in exercise.steps if s.recap)
    passages = [terms(text) for text in guidance_retriever.passage_texts]
    for hit, reason, excerpt in zip(shown.citations, shown.reasons, shown.excerpts, strict=True):
        assert reason.startswith(recaps), reason  # names the answer it was chosen for, in plain words
        for word in re.findall(r"‘([^’]+)’", reason):  # only words that are rare in the guidance count
            [stem] = terms(word)
            assert sum(stem in p for p in passages) <= RARE_SHARE * len(passages), word
        assert not re.match(r"\d+\.|[—–-]\s|source:", excerpt, re.I) and excerpt[0].isupper(), excerpt
        assert " ".join(excerpt.removesuffix(" …").removesuffix("…").split())[:60] in " ".join(hit.text.split())
        assert not any(p.quote[:60] in hit.text for p in exercise.passages)  # those are shown already
    # the officer wrote that districts send juniors who cannot commit: the guidance on that is among them
    assert any("junior" in excerpt for excerpt in shown.excerpts)


def test_the_recap_of_a_long_answer_is_cut_at_a_clause_not_inside_a_word() -> None:
    from bot.coaching.feedback import recap_lines

    exercise = exercise_library().get("dominating")
    long_commitment = (HEALTH_BOARD[1] + " The districts have stopped coming altogether since the budget round, "
                       "and Healthwatch only hears about decisions afterwards.")
    [_, commitment, _] = recap_lines(exercise, _answers(exercise, [HEALTH_BOARD[0], long_commitment, 2,
                                                                   HEALTH_BOARD[3]]))
    quote = commitment.removeprefix("Partners' commitment: “").removesuffix("…”")
    assert commitment.endswith("…”") and long_commitment.startswith(quote)
    assert long_commitment[len(quote)] in " ,;."  # the cut falls at a clause or sentence end
