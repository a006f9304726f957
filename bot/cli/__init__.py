"""The `coach` command. Library errors become user messages here, in one place (bot/cli/failures.py)."""

from __future__ import annotations

import io
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
    from bot.cli import coaching, evaluate, knowledge, llm, slack, trends  # noqa: F401


def main() -> None:
    from rich.markup import escape

    from bot.cli.failures import describe

    _register()
    if isinstance(sys.stdin, io.TextIOWrapper):
        # Bytes that are not UTF-8 reach the input checks (which refuse them, naming the field) instead of
        # failing inside a prompt; argv is decoded the same way by Python already.
        sys.stdin.reconfigure(errors="surrogateescape")
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:
        if isinstance(exc, CoachError):  # its message is ours and holds no one's words: the cause may be logged
            logging.getLogger("bot").debug("command failed", exc_info=True)
        message, code = describe(exc)
        err_console.print(f"[red]Error:[/red] {escape(message)}", highlight=False)
        sys.exit(code)
