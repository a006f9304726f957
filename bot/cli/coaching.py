"""`coach assess`, `coach reflect`, `coach history`: the coaching core in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.prompt import Confirm, Prompt

from bot.cli import app
from bot.cli import commitments as _commitments  # also registers `coach commitments`
from bot.cli import db as _db  # noqa: F401  (registers `coach db`)
from bot.cli import my_data as _my_data  # noqa: F401  (registers `coach my-data`)
from bot.cli import weekly as _weekly  # noqa: F401  (registers `coach weekly`)
from bot.cli.coaching_common import (
    USER_HELP,
    UserOption,
    audit,
    checked_user,
    console,
    database,
    ensure_notice,
    err,
    give_notice,
    interactive,
    output_file,
    parse_ratings,
    record_notice,
)
from bot.cli.coaching_views import safe, show_attribute

if TYPE_CHECKING:
    from bot.coaching.reflection import ExerciseFeedback
    from bot.retrieval.hits import Retriever
    from bot.storage import Database

YesOption = Annotated[bool, typer.Option("--yes", help="On first use: the person has been given the privacy notice "
                                                    "(it is shown, and recorded as given by you).")]


def _ask_ratings(attribute_ids: list[str]) -> dict[str, int]:
    from bot.coaching.attributes import attributes

    ratings: dict[str, int] = {}
    for index, attribute_id in enumerate(attribute_ids, 1):
        attribute = attributes().get(attribute_id)
        show_attribute(console, attribute, index, len(attribute_ids))
        try:
            answer = Prompt.ask("Your rating (1-5, Enter to skip)", choices=["1", "2", "3", "4", "5", ""],
                                default="", show_choices=False, show_default=False, console=console)
        except EOFError:  # the input ended: the remaining attributes are skipped
            break
        if answer:
            ratings[attribute_id] = int(answer)
    return ratings


def _ask_note() -> str:
    """The note, asked again until it can be stored (the refusal names the problem, never the text)."""
    from bot.coaching import validation
    from bot.errors import InvalidInputError

    while True:
        try:
            answer = Prompt.ask("Any note to keep with this check-in? (Enter for none)", default="",
                                show_default=False, console=console)
        except EOFError:
            return ""
        try:
            validation.note(answer)
            return answer
        except InvalidInputError as exc:
            err.print(f"[yellow]{exc}[/yellow]")


@app.command()
def assess(
    user: UserOption,
    rating: Annotated[list[str] | None, typer.Option("--rating", help="ATTRIBUTE=1..5, repeatable; skips the "
                                                     "questions (for scripts).")] = None,
    note: Annotated[str | None, typer.Option(help="An optional note (up to 3,000 characters).")] = None,
    key: Annotated[str | None, typer.Option(help="Submission key: the same key twice stores once.")] = None,
    yes: YesOption = False,
) -> None:
    """Rate yourself against the nine attributes of the successful partnership leader."""
    from bot.coaching import validation
    from bot.coaching.assessments import submit_assessment
    from bot.coaching.attributes import attributes

    # Everything given on the command line is checked before the database is opened: a refused command
    # stores nothing, not even the acceptance of the notice.
    ratings = validation.ratings(parse_ratings(rating), attributes().ids) if rating else {}
    validation.note(note)
    validation.optional_key(key)
    db = database()
    shown_now = False
    if not rating:
        if interactive():  # at a terminal the notice comes before the questions; it is recorded with the ratings
            shown_now = give_notice(db, user, yes)
        console.print("Rate yourself 1-5 on each attribute; the statements describe each level.")
        ratings = _ask_ratings(attributes().ids)
        if note is None and interactive():
            note = _ask_note()
        validation.ratings(ratings, attributes().ids)
    if shown_now:
        record_notice(user, db)
    else:
        ensure_notice(db, user, yes)
    result = submit_assessment(db.uow(), user, ratings, notes=note, submission_key=key)
    submission = result.submission
    if result.created:
        audit(db, user, "assessment_submitted", {"submission": submission.id})
    verb = "Stored" if result.created else "Already stored (same submission key)"
    console.print(f"{verb}: self-assessment #{submission.id} with {len(submission.ratings)} rating(s).")


@app.command()
def reflect(
    user: Annotated[str | None, typer.Option("--user", help=USER_HELP, callback=checked_user)] = None,
    exercise: Annotated[str | None, typer.Argument(help="Exercise id (default: resume, or the one chosen for you).")]
    = None,
    list_exercises: Annotated[bool, typer.Option("--list", help="List the exercises and exit.")] = False,
    yes: YesOption = False,
) -> None:
    """Work through a reflective exercise; progress is saved after every step, so you can stop and resume."""
    from bot.cli.exercise_steps import first_piped_answer, run_steps
    from bot.coaching.exercises import exercise_library
    from bot.coaching.reflection import finished_feedback, start_or_resume_exercise

    library = exercise_library()
    if list_exercises:
        if not len(library):
            console.print("No exercises are installed (knowledge/exercises/*.yaml).")
        for item in library:
            console.print(f"[bold]{item.id}[/bold]  {safe(item.title)}\n    {safe(item.summary)}")
        return
    if not user:
        raise typer.BadParameter("say who is reflecting, e.g. --user you@example.org", param_hint="--user")
    if exercise is not None:
        library.get(exercise)  # an unknown exercise is refused before the notice is recorded
    db = database()
    _commitments.follow_up_first(db, user)  # "Last week you said you would …": before the exercise, as in Slack
    from bot.bootstrap import build_safeguarding
    from bot.config import get_settings

    screen = build_safeguarding(get_settings())  # the model's opinion on borderline answers, when configured
    piped_first = None if interactive() else first_piped_answer(db, library, user, exercise, screen)
    if piped_first is not None:
        exercise = piped_first[0]
    ensure_notice(db, user, yes)
    progress = start_or_resume_exercise(db.uow(), library, user, exercise)
    audit(db, user, "exercise_opened", {"session": progress.session_id, "exercise": progress.exercise.id})
    console.print(f"\n[bold]{safe(progress.exercise.title)}[/bold]  ({'resuming' if progress.resumed else 'new'})")
    console.print(safe(progress.exercise.summary))
    progress = run_steps(db, library, user, progress, first=piped_first[1] if piped_first is not None else None,
                         screen=screen)
    from bot.bootstrap import build_exercise_feedback
    from bot.coaching.assessments import latest_ratings
    from bot.coaching.attributes import attributes

    names = {a.id: a.name for a in attributes().attributes}
    _show_feedback(finished_feedback(progress, _retriever_or_none(), build_exercise_feedback(get_settings()),
                                     earlier_ratings=latest_ratings(db.uow(), user), attribute_names=names))
    _offer_self_rating(db, user, list(progress.exercise.attributes))
    _commitments.ask_commitment(db, user, progress)  # every exercise ends with the commitment step


def _retriever_or_none() -> Retriever | None:
    from bot.errors import CoachError

    try:
        from bot.bootstrap import retriever

        return retriever()
    except (CoachError, OSError):
        err.print("[dim](No search index: run `coach ingest` to see guidance passages for your answers.)[/dim]")
        return None


def _show_feedback(feedback: ExerciseFeedback) -> None:
    if feedback.recap:
        console.print("\n[bold]What you wrote[/bold]")
        for line in feedback.recap:
            console.print(f"  {safe(line)}")
    console.print(f"\n[bold]Feedback[/bold]\n{safe(feedback.text)}")
    if feedback.notice:
        console.print(f"[dim]{safe(feedback.notice)}[/dim]")
    if feedback.citations:
        console.print("\n[bold]From the guidance, on what you wrote:[/bold]")
        for number, (hit, reason) in enumerate(zip(feedback.citations, feedback.reasons, strict=False), 1):
            text = feedback.excerpts[number - 1] if number <= len(feedback.excerpts) else " ".join(hit.text.split())
            console.print(f"\\[{number}] {safe(text)}\n    [dim]{safe(hit.citation)}. {safe(reason)}[/dim]")
    console.print("\n[bold]This exercise draws on:[/bold]")
    for passage in feedback.passages:
        console.print(f'  "{safe(passage.quote)}" [dim]({safe(passage.source)})[/dim]')


def _offer_self_rating(db: Database, user: str, attribute_ids: list[str]) -> None:
    from bot.coaching.assessments import submit_assessment

    try:  # asked when the answers are piped too: the next line says y or n
        wanted = Confirm.ask("\nRate yourself now on the attributes this exercise is about?", default=True,
                             console=console)
    except EOFError:
        console.print(f"\nNo self-rating given (the input ended). Rate yourself any time with "
                      f"`coach assess --user {safe(user)}`.")
        return
    if not wanted:
        return
    ratings = _ask_ratings(attribute_ids)
    if ratings:
        result = submit_assessment(db.uow(), user, ratings, source="exercise")
        audit(db, user, "assessment_submitted", {"submission": result.submission.id})
        console.print(f"Stored: self-assessment #{result.submission.id}.")


@app.command()
def history(
    user: UserOption,
    chart: Annotated[Path | None, typer.Option(help="Also write the chart as a PNG to this path.",
                                               callback=output_file)] = None,
) -> None:
    """Your self-ratings over time: strengths, growth areas, change since the first and the last check-in."""
    from bot.coaching.history import format_history, history_summary

    db = database()
    summary = history_summary(db.uow(), user)
    audit(db, user, "history_viewed")
    console.print(safe(format_history(summary)))
    _commitments.history_lines(db, user)
    if chart is not None:
        from bot.coaching.chart import render_history_chart

        render_history_chart(summary, chart)
        console.print(f"Chart written to {safe(str(chart))}.")
