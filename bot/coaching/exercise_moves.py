"""Moving through an exercise rather than answering it: stop and come back, go back a step, skip one, help.

    move = parse_move("/back")                       # Move.BACK; "back" too where bare words count (Slack)
    progress = go_back(uow, library, user, session)  # the previous step is next again; its answer is kept
    progress = skip_step(uow, library, user, session, step_id="trade")  # on, with nothing stored for it
    lines = answers_so_far(progress)                 # the recap shown on resume

A step answered again after going back replaces its earlier answer (one answer per step).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.coaching.exercises import ExerciseLibrary, Step
from bot.coaching.reflection import ExerciseProgress, _progress
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.coaching.model import ExerciseSession, Reflection
    from bot.storage.uow import SqlUnitOfWork


class Move(StrEnum):
    QUIT = "quit"
    BACK = "back"
    SKIP = "skip"
    HELP = "help"


# What a message that is only one of these words means, where bare words count (a thread reply in Slack, where
# Slack itself would take "/back" for a slash command).
_BARE = {"quit": Move.QUIT, "stop": Move.QUIT, "pause": Move.QUIT, "save and stop": Move.QUIT,
         "back": Move.BACK, "go back": Move.BACK, "skip": Move.SKIP, "help": Move.HELP}


def parse_move(text: str, *, bare_words: bool = False) -> Move | None:
    said = " ".join(text.lower().split()).strip(" .!")
    if said.startswith("/"):
        return _BARE.get(said[1:]) if said[1:] in {m.value for m in Move} else None
    return _BARE.get(said) if bare_words else None


def help_text(step: Step | None, *, slash: bool = True) -> str:
    p = "/" if slash else ""
    lines = [f"{p}back: the step before, to change your answer · {p}skip: leave this step out · "
             f"{p}quit: stop here (everything so far is saved; carry on later) · {p}help: this list"]
    if step is not None and step.help:
        lines.append(f"On this step: {step.help}")
    return "\n".join(lines)


def go_back(uow: SqlUnitOfWork, library: ExerciseLibrary, user_id: str, session_id: int, *,
            step_id: str | None = None, now: datetime | None = None) -> ExerciseProgress:
    """Make the step before the current one the next step again (its answer is kept until replaced).

    `step_id`, when given, is the step the person was on: a repeated click does not go back twice."""
    with uow:
        session = _own_session(uow, user_id, session_id)
        exercise = library.get(session.exercise_id)
        if session.status == "active" and session.current_step > 0 and (
                step_id is None or step_id == exercise.steps[min(session.current_step, len(exercise.steps) - 1)].id):
            uow.exercises.advance(session_id, session.current_step - 1, "active", now or datetime.now(UTC))
            uow.commit()
        return _progress(uow, library, session_id)


def skip_step(uow: SqlUnitOfWork, library: ExerciseLibrary, user_id: str, session_id: int, *,
              step_id: str | None = None, now: datetime | None = None) -> ExerciseProgress:
    """Move past the current step with nothing stored for it (an answer given earlier to it is removed)."""
    with uow:
        session = _own_session(uow, user_id, session_id)
        exercise = library.get(session.exercise_id)
        if session.status == "active" and session.current_step < len(exercise.steps):
            step = exercise.steps[session.current_step]
            if step_id is None or step_id == step.id:
                uow.exercises.remove_answer(session_id, step.id)
                following = session.current_step + 1
                uow.exercises.advance(session_id, following, "finished" if following >= len(exercise.steps)
                                      else "active", now or datetime.now(UTC))
                uow.commit()
        return _progress(uow, library, session_id)


def progress_of(uow: SqlUnitOfWork, library: ExerciseLibrary, user_id: str, session_id: int) -> ExerciseProgress:
    """Where the person's session stands (theirs only)."""
    with uow:
        _own_session(uow, user_id, session_id)
        return _progress(uow, library, session_id)


def earlier_answer(progress: ExerciseProgress, step: Step) -> Reflection | None:
    """What the person answered to `step` before (after going back), if anything."""
    return next((a for a in reversed(progress.answers) if a.step_id == step.id), None)


def answers_so_far(progress: ExerciseProgress, limit: int = 100) -> list[str]:
    """One short line per step answered, in step order: the recap shown when the person comes back."""
    by_step = {a.step_id: a for a in progress.answers}
    lines = []
    for number, step in enumerate(progress.exercise.steps[: progress.step_index], 1):
        said = by_step.get(step.id)
        label = step.recap or _cut(step.prompt, 60)
        lines.append(f"{number}. {label}: " + ("skipped" if said is None else _said(said, limit)))
    return lines


def _said(reflection: Reflection, limit: int) -> str:
    if reflection.rating is not None:
        return f"rated {reflection.rating}/5"
    return f"“{_cut(reflection.answer or '', limit)}”" if reflection.answer else "(removed by retention)"


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _own_session(uow: SqlUnitOfWork, user_id: str, session_id: int) -> ExerciseSession:
    session = uow.exercises.get_session(session_id, for_update=True)
    if session is None or session.user_id != user_id:
        raise InvalidInputError("No such exercise in progress for this user; start one with `coach reflect`.",
                                field="session_id")
    return session
