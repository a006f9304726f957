"""The `coach` command. Library errors become user messages here, in one place (bot/cli/failures.py)."""

from __future__ import annotations

import io
import sys
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup
from typer.exceptions import TyperException


class _ReportingGroup(TyperGroup):
    """The root command: whatever a command lets out becomes one message and an exit code, never a traceback.
    It sits inside Click rather than around it so that tests invoking the app see exactly what users see."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort):
            raise  # usage errors (exit 2) and deliberate exits: Typer reports them
        except Exception as exc:
            from bot.cli.failures import report

            raise typer.Exit(report(exc, err_console)) from exc


app = typer.Typer(
    help="Partnership Leadership Coach: coaching grounded in the partnership leadership guidance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_ReportingGroup,
)
err_console = Console(stderr=True)


def _register() -> None:
    # Each area adds its own commands; importing the module registers them on `app`.
    from bot.cli import (  # noqa: F401
        answer_evals,
        coaching,
        doctor,
        eval_conversations,
        eval_feedback,
        eval_safeguarding,
        evaluate,
        knowledge,
        llm,
        people,
        programme_data,
        roles,
        slack,
        trends,
    )


def main() -> None:
    _register()
    if isinstance(sys.stdin, io.TextIOWrapper):
        # Bytes that are not UTF-8 reach the input checks (which refuse them, naming the field) instead of
        # failing inside a prompt; Python decodes argv this way already.
        sys.stdin.reconfigure(errors="surrogateescape")
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
