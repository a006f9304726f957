"""The `coach` command. Library errors become user messages here, in one place."""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from bot.errors import CoachError

app = typer.Typer(
    help="Partnership Leadership Coach: coaching grounded in the partnership leadership guidance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def _register() -> None:
    # Each area adds its own commands; importing the module registers them on `app`.
    from bot.cli import answer_evals, coaching, evaluate, knowledge, llm, slack, trends  # noqa: F401


def main() -> None:
    _register()
    try:
        app()
    except CoachError as exc:
        logging.getLogger("bot").debug("command failed", exc_info=True)
        err_console.print(f"[red]Error:[/red] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
