"""`coach commitments`: what the person said they would do, and how it went; the follow-up that opens
`coach reflect` when one is due, and the commitment step that ends it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.prompt import Prompt
from rich.table import Table

from bot.cli import app
from bot.cli.coaching_common import UserOption, audit, console, database, err, interactive
from bot.cli.coaching_views import safe

if TYPE_CHECKING:
    from bot.coaching.model import Commitment
    from bot.coaching.reflection import ExerciseProgress
    from bot.storage import Database


def ask_commitment(db: Database, user: str, progress: ExerciseProgress) -> None:
    """The commitment step at the end of an exercise: what, by when, with whom; each optional, Enter skips.

    Piped input is read line by line like the steps; when it ends, no commitment is made."""
    from bot.cli.operator import operator_id
    from bot.coaching.commitments import ASK_BY, ASK_WHAT, ASK_WITH, describe, make_commitment
    from bot.errors import InvalidInputError

    try:
        console.print(f"\n[bold]{safe(ASK_WHAT)}[/bold]")
        what = Prompt.ask("You will", default="", show_default=False, console=console)
        if not what.strip():
            console.print("No commitment this time.")
            return
        while True:
            by = Prompt.ask(safe(ASK_BY), default="", show_default=False, console=console)
            try:
                _check_date(db, user, by)
                break
            except InvalidInputError as exc:
                if not interactive():
                    raise InvalidInputError(f"{exc} The commitment was not saved; the exercise is.",
                                            field=exc.field) from None
                err.print(f"[yellow]{safe(str(exc))}[/yellow]")
        whom = Prompt.ask(safe(ASK_WITH), default="", show_default=False, console=console)
    except EOFError:
        console.print("\nNo commitment this time.")
        return
    made = make_commitment(db.uow(), user, what, by=by or None, with_whom=whom or None,
                           exercise_id=progress.exercise.id, session_id=progress.session_id, actor=operator_id())
    if made is None:
        console.print("This exercise already has a commitment (`coach commitments`).")
        return
    console.print(f"Noted: you will {safe(describe(made))}. Your next weekly prompt, or `coach reflect` a week "
                  "from now, asks how it went.")


def follow_up_first(db: Database, user: str) -> None:
    """What `coach reflect` opens with when a commitment is due: "Last week you said you would … How did it go?"

    Piped input answers it on the first line, before the exercise's answers; a blank line leaves it for next
    week. An answer that is not done, not yet or drop is asked again at a terminal and refused when piped (the
    line was probably meant for the exercise: nothing is stored)."""
    from datetime import UTC, datetime

    from bot.cli.operator import operator_id
    from bot.coaching.commitments import (
        OUTCOME_REPLIES,
        due_for_follow_up,
        follow_up_question,
        leave_until_next_week,
        outcome,
        record_outcome,
    )
    from bot.errors import InvalidInputError

    now = datetime.now(UTC)
    commitment = due_for_follow_up(db.uow(), user, now)
    if commitment is None:
        return
    console.print(f"\n[bold]{safe(follow_up_question(commitment, now))}[/bold]")
    while True:
        try:
            answer = Prompt.ask("Done / Not yet / Drop it (Enter to leave it until next week)", default="",
                                show_default=False, console=console)
        except EOFError:  # the input ended: asked again next time
            return
        if not answer.strip():
            leave_until_next_week(db.uow(), user, commitment.id, now)
            console.print("Left for now: I'll ask again next week.")
            return
        try:
            outcome(answer)
            break
        except InvalidInputError as exc:
            if not interactive():
                raise InvalidInputError(f"{exc} When a commitment is due, the first line of piped input answers it "
                                        "(a blank line leaves it); the exercise's answers follow. Nothing was stored.",
                                        field="outcome") from None
            err.print(f"[yellow]{safe(str(exc))}[/yellow]")
    kept = record_outcome(db.uow(), user, commitment.id, answer, now=now, actor=operator_id())
    console.print(OUTCOME_REPLIES.get(kept.status, kept.status))


def _check_date(db: Database, user: str, by: str) -> None:
    """The date is checked before the last question, so that a bad one can be asked again."""
    from datetime import UTC, datetime

    from bot.coaching.commitments import local_today, parse_date

    with db.uow() as uow:
        today = local_today(uow, user, datetime.now(UTC))
    parse_date(by, today, field="by", what="'By when'")


@app.command()
def commitments(
    user: UserOption,
    follow_up: Annotated[bool, typer.Option("--follow-up", help="Ask how each open commitment went: done, not yet "
                                                               "or drop (one line each; Enter leaves it).")] = False,
) -> None:
    """The person's commitments: what, by when, with whom, and how it went."""
    from bot.cli.operator import operator_id
    from bot.coaching.commitments import commitments_of, follow_up_question, record_outcome

    db = database()
    found = commitments_of(db.uow(), user)
    audit(db, user, "commitments_viewed")
    if not found:
        console.print("No commitments yet: each exercise (`coach reflect`) ends with the chance to make one.")
        return
    show_commitments(found)
    if not follow_up:
        return
    from datetime import UTC, datetime

    for commitment in [c for c in found if not c.settled]:
        console.print(f"\n#{commitment.id} {safe(follow_up_question(commitment, datetime.now(UTC)))}")
        try:
            answer = Prompt.ask("Done / Not yet / Drop it (Enter to leave it)", default="", show_default=False,
                                console=console)
        except EOFError:
            return
        if answer.strip():
            updated = record_outcome(db.uow(), user, commitment.id, answer, actor=operator_id())
            console.print(f"Kept: {updated.status.replace('_', ' ')}.")


def history_lines(db: Database, user: str) -> None:
    """The commitments under `coach history`."""
    from bot.coaching.commitments import commitments_of

    found = commitments_of(db.uow(), user)
    if found:
        console.print("\n[bold]Your commitments[/bold]")
        show_commitments(found)


def show_commitments(found: list[Commitment]) -> None:
    from bot.coaching.commitments import OUTCOME_WORDS

    table = Table("#", "what", "by when", "with whom", "made", "how it went")
    for c in found:
        table.add_row(str(c.id), safe(c.what), f"{c.due_on:%Y-%m-%d}" if c.due_on else "", safe(c.with_whom or ""),
                      f"{c.created_at:%Y-%m-%d}", OUTCOME_WORDS.get(c.status, c.status)
                      + (f" ({c.outcome_at:%Y-%m-%d})" if c.outcome_at else ""))
    console.print(table)
