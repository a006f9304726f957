"""The steps of `coach reflect` at the terminal: each asked in turn, with /back, /skip, /quit and /help, and
on resume a short recap of what was answered before."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.prompt import Prompt

from bot.cli.coaching_common import console, err, interactive
from bot.cli.coaching_views import safe
from bot.coaching.exercise_moves import Move, answers_so_far, earlier_answer, go_back, help_text, parse_move, skip_step
from bot.coaching.reflection import ConcernScreen, ExerciseProgress, answer_step
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.coaching.exercises import ExerciseLibrary, Step
    from bot.storage import Database

MOVES_LINE = "Type /back to change the last answer, /skip to leave a step out, /quit to stop (saved), /help."


def run_steps(db: Database, library: ExerciseLibrary, user: str, progress: ExerciseProgress, *,
              first: str | None = None, screen: ConcernScreen | None = None) -> ExerciseProgress:
    """Ask every step still to answer; returns the finished progress, or exits (code 0) on /quit or end of input.
    `first` is the answer to the first step, already read (see first_piped_answer); `screen` the safeguarding
    decision with the model's opinion (bot.bootstrap.build_safeguarding)."""
    if progress.resumed and progress.step_index:
        console.print("\n[bold]So far you wrote[/bold]")
        for line in answers_so_far(progress):
            console.print(f"  {safe(line)}")
    console.print(f"[dim]{MOVES_LINE}[/dim]")
    while (step := progress.next_step) is not None:
        console.print(f"\n[bold]Step {progress.step_index + 1}/{len(progress.exercise.steps)}.[/bold] "
                      f"{safe(step.prompt)}")
        if step.help:
            console.print(f"[dim]{safe(step.help)}[/dim]")
        if (before := earlier_answer(progress, step)) is not None:
            said = before.answer if before.answer else f"{before.rating}/5"
            console.print(f"[dim]Your answer before: {safe(said)} (a new answer replaces it)[/dim]")
        try:
            answer, first = (first, None) if first is not None else (_ask_step(step), None)
        except EOFError:  # input ended (Ctrl-D or a closed pipe): everything answered so far is saved
            _saved(progress, user)
        move = parse_move(answer)
        if move is Move.QUIT:
            _saved(progress, user)
        elif move is Move.HELP:
            console.print(safe(help_text(step)))
        elif move is Move.BACK:
            if progress.step_index == 0:
                console.print("This is the first step: there is no step before it.")
            progress = go_back(db.uow(), library, user, progress.session_id, step_id=step.id)
        elif move is Move.SKIP:
            progress = skip_step(db.uow(), library, user, progress.session_id, step_id=step.id)
        else:
            try:
                progress = answer_step(db.uow(), library, user, progress.session_id, answer, step_id=step.id,
                                       screen=screen)
            except InvalidInputError as exc:
                if not interactive():  # piped answers cannot be re-asked: the next line belongs to the next step
                    raise InvalidInputError(f"{exc} Step {progress.step_index + 1} was not saved; the steps before "
                                            "it are.", field=exc.field) from None
                err.print(f"[yellow]{safe(str(exc))}[/yellow]")
    return progress


def first_piped_answer(db: Database, library: ExerciseLibrary, user: str, exercise: str | None,
                       screen: ConcernScreen | None = None) -> tuple[str, str] | None:
    """Read and check the first piped answer before anything is stored: a refused one leaves no notice, no
    session and no audit entry behind. None when input ends at once or nothing is left to answer. A move
    (/quit, /skip, ...) is not an answer and is not checked as one."""
    from bot.coaching.reflection import check_answer, upcoming_step
    from bot.errors import NotForCoachingError

    chosen, step = upcoming_step(db.uow(), library, user, exercise)
    if step is None:
        return None
    try:
        answer = _ask_step(step)
    except EOFError:
        return None
    if parse_move(answer) is not None:
        return chosen, answer
    try:
        check_answer(step, answer, screen)
    except NotForCoachingError:
        raise  # its own message: who to talk to instead
    except InvalidInputError as exc:
        raise InvalidInputError(f"{exc} Nothing was stored.", field=exc.field) from None
    return chosen, answer


def _saved(progress: ExerciseProgress, user: str) -> None:
    console.print(f"\nSaved after step {progress.step_index}. Run `coach reflect --user {safe(user)}` "
                  "to carry on where you left off.")
    raise typer.Exit(0)


def _ask_step(step: Step) -> str:
    if step.kind == "rating":  # no fixed choices: /back and the rest are accepted too; the rating is checked
        labels = ", ".join(f"{k} = {v}" for k, v in sorted((step.scale_labels or {}).items()))
        return Prompt.ask(f"1-5 {('(' + safe(labels) + ')') if labels else ''}", console=console)
    return Prompt.ask("Your answer", console=console)
