"""`coach eval feedback`: people's verdicts on answers, by the passages the answers cited."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from bot.cli.evaluate import console, eval_app


@eval_app.command("feedback")
def feedback(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="How many passages to list.")] = 20,
) -> None:
    """Helpful / not helpful verdicts given in Slack, and the passages behind the unhelpful answers (no person's
    id or comment is printed)."""
    from bot.config import get_settings
    from bot.evaluation.feedback import feedback_summary
    from bot.storage import open_database

    db = open_database(get_settings())
    try:
        summary = feedback_summary(db.uow())
    finally:
        db.close()
    if as_json:
        print(json.dumps({**dataclasses.asdict(summary), "passages": [dataclasses.asdict(p)
                                                                      for p in summary.passages[:top]],
                          "helpful_rate": round(summary.helpful_rate, 4)}, indent=2))
        return
    console.print(f"{summary.verdicts} verdicts on {summary.answers} answers: {summary.helpful} helpful "
                  f"({summary.helpful_rate:.1%}), {summary.verdicts - summary.helpful} not helpful, "
                  f"{summary.with_comment} with a comment")
    if not summary.passages:
        return
    table = Table("passage", "not helpful", "helpful")
    for p in summary.passages[:top]:
        table.add_row(Text(p.chunk_id), str(p.not_helpful), str(p.helpful))  # ids hold colons: not emoji codes
    console.print(table)
