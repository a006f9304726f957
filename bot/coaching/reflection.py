"""Working through a reflective exercise: start or resume, answer a step, feedback at the end.

Every answer is committed as it is given, so a restart mid-exercise resumes at the next unanswered step.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from bot.coaching import feedback, feedback_passages, feedback_text, safeguarding, validation
from bot.coaching.exercises import Exercise, ExerciseLibrary, Passage, Step
from bot.coaching.model import Reflection
from bot.coaching.next_exercise import choose_next_exercise
from bot.errors import InvalidInputError, NotForCoachingError
from bot.retrieval.hits import Hit, Retriever

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExerciseProgress:
    session_id: int
    user_id: str
    exercise: Exercise
    step_index: int  # index of the next step to answer; == len(steps) when finished
    answers: tuple[Reflection, ...]
    resumed: bool = False

    @property
    def finished(self) -> bool:
        return self.step_index >= len(self.exercise.steps)

    @property
    def next_step(self) -> Step | None:
        return None if self.finished else self.exercise.steps[self.step_index]


@dataclass(frozen=True)
class ExerciseFeedback:
    text: str  # the exercise's feedback, with the person's own words filled in
    citations: tuple[Hit, ...]  # guidance passages found for the user's own answers
    passages: tuple[Passage, ...]  # the passages the exercise is built on
    attribute_ids: tuple[str, ...]  # offer a self-rating for these next
    recap: tuple[str, ...] = ()  # what the person wrote, reflected back, then their rating beside their self-ratings
    reasons: tuple[str, ...] = ()  # why each citation was chosen, in the same order
    excerpts: tuple[str, ...] = ()  # what to show of each citation: from a sentence start, no paragraph number
    mode: str = "offline"  # llm: the model's checked feedback; fallback: the model failed, this is the offline one
    notice: str | None = None  # said when the model failed


class FeedbackCoach(Protocol):
    """Feedback from a model on a finished exercise (bot.answering.exercise_feedback, built by bot.bootstrap)."""

    def personal(self, progress: ExerciseProgress, offline: ExerciseFeedback) -> ExerciseFeedback: ...


def start_or_resume_exercise(uow: SqlUnitOfWork, library: ExerciseLibrary, user_id: str,
                             exercise_id: str | None = None, *, now: datetime | None = None) -> ExerciseProgress:
    """Resume the user's unfinished session of `exercise_id` (or of any exercise when None), else start one.

    With no exercise named and nothing to resume, the next exercise is chosen for the user (rotation,
    favouring attributes rated lowest or not reflected on lately).
    """
    user_id = validation.user_id(user_id)
    exercise = library.get(exercise_id) if exercise_id is not None else None
    now = now or datetime.now(UTC)
    with uow:
        session = uow.exercises.active_session(user_id, exercise.id if exercise else None)
        if session is not None and session.exercise_id in library.ids:
            progress = _progress(uow, library, session.id, resumed=True)
            return progress
        uow.users.ensure(user_id, now)
        chosen = exercise or choose_next_exercise(uow, library, user_id, now)
        session = uow.exercises.start(user_id, chosen.id, now)
        uow.commit()
        return _progress(uow, library, session.id)


def upcoming_step(uow: SqlUnitOfWork, library: ExerciseLibrary, user_id: str, exercise_id: str | None = None,
                  *, now: datetime | None = None) -> tuple[str, Step | None]:
    """The exercise `start_or_resume_exercise` would give and the step it would ask next, storing nothing: lets a
    caller check an answer it already holds before anything about the person is written."""
    user_id = validation.user_id(user_id)
    exercise = library.get(exercise_id) if exercise_id is not None else None
    with uow:
        session = uow.exercises.active_session(user_id, exercise.id if exercise else None)
        if session is not None and session.exercise_id in library.ids:
            progress = _progress(uow, library, session.id, resumed=True)
            return progress.exercise.id, progress.next_step
        chosen = exercise or choose_next_exercise(uow, library, user_id, now or datetime.now(UTC))
        return chosen.id, chosen.steps[0] if chosen.steps else None


class ConcernScreen(Protocol):
    def detect(self, text: str) -> safeguarding.Concern | None: ...


def check_answer(step: Step, answer: str | int, screen: ConcernScreen | None = None) -> None:
    """Raise InvalidInputError (or NotForCoachingError) for an answer `answer_step` would refuse."""
    _screened(answer, screen)
    _checked_answer(step, answer)


def _screened(answer: str | int, screen: ConcernScreen | None) -> None:
    """Refuse an answer the safeguarding decision with the model's opinion finds is not for coaching."""
    if screen is not None and isinstance(answer, str) and answer.strip() \
            and (concern := screen.detect(validation.note(answer, field="answer") or "")):
        raise NotForCoachingError(concern)


def answer_step(uow: SqlUnitOfWork, library: ExerciseLibrary, user_id: str, session_id: int, answer: str | int,
                *, step_id: str | None = None, now: datetime | None = None,
                screen: ConcernScreen | None = None) -> ExerciseProgress:
    """Record the answer to the session's next step and move on.

    `step_id`, when given, guards against a repeated click or retry: an answer to a step already answered
    is ignored and the current progress returned. `screen` is the safeguarding decision with a model's
    opinion (bot.bootstrap.build_safeguarding); the offline screen runs in any case.
    """
    now = now or datetime.now(UTC)
    _screened(answer, screen)  # before the transaction: a model is never waited for under the session's row lock
    with uow:
        session = uow.exercises.get_session(session_id, for_update=True)
        if session is None or session.user_id != user_id:
            raise InvalidInputError("No such exercise in progress for this user; start one with `coach reflect`.",
                                    field="session_id")
        exercise = library.get(session.exercise_id)
        if session.status != "active" or session.current_step >= len(exercise.steps):
            return _progress(uow, library, session_id)
        step = exercise.steps[session.current_step]
        if step_id is not None and step_id != step.id:
            if step_id in {s.id for s in exercise.steps[: session.current_step]}:
                return _progress(uow, library, session_id)
            raise InvalidInputError(f"Step '{step_id}' is not the next step of '{exercise.id}'.", field="step_id")
        text, rating = _checked_answer(step, answer)
        uow.exercises.record_answer(session, step.id, step.prompt, text, rating, now)
        next_index = session.current_step + 1
        uow.exercises.advance(session_id, next_index, "finished" if next_index >= len(exercise.steps) else "active",
                              now)
        uow.commit()
        return _progress(uow, library, session_id)


def exercise_feedback(progress: ExerciseProgress, retriever: Retriever | None, k: int = 3, *,
                      earlier_ratings: Mapping[str, int] | None = None,
                      attribute_names: Mapping[str, str] | None = None) -> ExerciseFeedback:
    """Offline feedback for a finished exercise, about what the person wrote: their partners and difficulty
    reflected back in their own words, the guidance point for the rating they gave, one open question, their
    rating beside their latest self-ratings, and guidance passages chosen for what they wrote (and why)."""
    exercise = progress.exercise
    recap = feedback.recap_lines(exercise, progress.answers) + feedback.rating_lines(
        exercise, progress.answers, earlier_ratings or {}, attribute_names or {})
    hits: tuple[Hit, ...] = ()
    reasons: tuple[str, ...] = ()
    excerpts: tuple[str, ...] = ()
    if retriever is not None and feedback_passages.has_meaning_index(retriever):
        chosen = feedback_passages.choose(retriever, exercise, progress.answers, k)  # type: ignore[arg-type]
        hits = tuple(c.hit for c in chosen)
        reasons = tuple(c.reason for c in chosen)
        excerpts = tuple(c.excerpt for c in chosen)
    elif retriever is not None and (said := feedback.search_terms(progress.answers)):
        hits = tuple(retriever.search(f"{exercise.title} {said}", k=k))  # a retriever that can only search
        reasons = tuple(feedback.why_chosen(h, progress.answers) for h in hits)
        excerpts = tuple(feedback_passages.excerpt_from(s, 0) if (s := feedback_passages.clean_sentences(h.text))
                         else " ".join(h.text.split()) for h in hits)
    text = feedback_text.compose(exercise, progress.answers, earlier_ratings, attribute_names)
    return ExerciseFeedback(text=text, citations=hits,
                            passages=tuple(exercise.passages), attribute_ids=tuple(exercise.attributes),
                            recap=tuple(recap), reasons=reasons, excerpts=excerpts)


def finished_feedback(progress: ExerciseProgress, retriever: Retriever | None, coach: FeedbackCoach | None, *,
                      earlier_ratings: Mapping[str, int] | None = None,
                      attribute_names: Mapping[str, str] | None = None) -> ExerciseFeedback:
    """The feedback shown at the end: the model's when one is configured and its reply passes the checks,
    else the offline feedback (which is also what the model's is grounded in)."""
    offline = exercise_feedback(progress, retriever, earlier_ratings=earlier_ratings, attribute_names=attribute_names)
    if coach is None:
        return offline
    try:
        return coach.personal(progress, offline)
    except Exception:  # the model is a nicety here: the person still gets feedback on what they wrote
        log.warning("model feedback failed; the offline feedback is shown", exc_info=True)
        return replace(offline, mode="fallback")


def _checked_answer(step: Step, answer: str | int) -> tuple[str | None, int | None]:
    if step.kind == "rating":
        return None, validation.rating(str(answer), field="answer")
    if not isinstance(answer, str) or not answer.strip():
        raise InvalidInputError("Write an answer before moving on (a few words is enough).", field="answer")
    text = validation.note(answer, field="answer")  # text the model and the database can take, first
    assert text is not None  # not blank: checked above
    if concern := safeguarding.detect(text):
        raise NotForCoachingError(concern)
    if feedback.is_non_answer(text, step):
        raise InvalidInputError(feedback.non_answer_message(step), field="answer")
    return text, None


def _progress(uow: SqlUnitOfWork, library: ExerciseLibrary, session_id: int, resumed: bool = False
              ) -> ExerciseProgress:
    session = uow.exercises.get_session(session_id)
    assert session is not None
    return ExerciseProgress(session_id=session.id, user_id=session.user_id,
                            exercise=library.get(session.exercise_id), step_index=session.current_step,
                            answers=tuple(uow.exercises.answers(session.id)), resumed=resumed)
