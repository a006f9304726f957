"""`coach my-data remembers`: what the coach remembers, in one place; correct or delete a commitment, clear the
conversation memory."""

from __future__ import annotations

from bot.cli.coaching_common import console, database
from bot.cli.coaching_views import safe
from bot.errors import InvalidInputError


def run(user: str, *, delete: int | None, correct: int | None, what: str | None, by: str | None,
        with_whom: str | None, forget_conversations: bool) -> None:
    from bot.cli.commitments import show_commitments
    from bot.cli.operator import operator_id
    from bot.coaching import commitments, remembers

    if correct is None and (what, by, with_whom) != (None, None, None):
        raise InvalidInputError("--what, --by and --with go with --correct N.", field="--correct")
    db = database()
    actor = operator_id()
    if delete is not None:
        commitments.delete_commitment(db.uow(), user, delete, actor=actor)
        console.print(f"Deleted commitment #{delete}.")
    if correct is not None:
        commitments.correct_commitment(db.uow(), user, correct, what=what, by=by, with_whom=with_whom, actor=actor)
        console.print(f"Corrected commitment #{correct}.")
    if forget_conversations:
        gone = remembers.forget_conversations(db.uow(), user, actor=actor)
        console.print(f"Cleared the conversation memory ({gone} turn(s)).")
    found = remembers.what_is_remembered(db.uow(), user, actor=actor)
    console.print("[bold]Commitments[/bold]")
    if found.commitments:
        show_commitments(list(found.commitments))
    else:
        console.print("  none")
    console.print(f"\n[bold]Conversation memory[/bold] ({len(found.turns)} turn(s) in {found.conversations} "
                  "conversation(s); kept for COACH_TURN_RETENTION_DAYS days)")
    for turn in found.questions[-10:]:
        text = " ".join(turn.content.split())
        console.print(f"  {turn.created_at:%Y-%m-%d} you asked: {safe(text[:120])}{'…' if len(text) > 120 else ''}")
    console.print("\nCorrect with --correct N --what/--by/--with, delete with --delete N, clear the conversation "
                  "memory with --forget-conversations. Ratings and reflections: `coach my-data export`.")
