"""What the `coach` command says when a command fails, and its exit code.

0 done; 1 a fault at run time (a file or folder that cannot be written, a database or index that cannot be
opened, a bug); 2 bad input or a bad setting (Click's usage errors are 2 as well); 3 not permitted.
Messages name the setting, option or file. They never repeat what a person wrote: a note or an answer can
end up inside an exception's text (a database driver quoting a statement), so for anything unexpected only
the kind of error and where it happened are shown.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot.errors import CoachError

EXIT_FAULT = 1
EXIT_BAD_INPUT = 2
_PACKAGE = Path(__file__).resolve().parents[1]


def report(exc: BaseException, console: Console) -> int:
    """Print the message for `exc` and return the exit code."""
    if isinstance(exc, CoachError):  # its message is ours and holds no one's words: the cause may be logged
        logging.getLogger("bot").debug("command failed", exc_info=True)
    message, code = describe(exc)
    console.print(f"[red]Error:[/red] {escape(message)}", highlight=False)
    return code


def describe(exc: BaseException) -> tuple[str, int]:
    """The message for `exc` and the exit code, for any exception a command lets out."""
    if isinstance(exc, CoachError):
        return str(exc), exc.exit_code
    if isinstance(exc, ValidationError):
        return settings_problem(exc), EXIT_BAD_INPUT
    if isinstance(exc, BrokenPipeError):
        return "The output was closed before everything was written.", EXIT_FAULT
    if isinstance(exc, OSError) and exc.filename is not None:
        return (f"Cannot use {_name(exc.filename)}: {exc.strerror or type(exc).__name__}. Check that the path "
                "exists and that you may write there."), EXIT_FAULT
    if isinstance(exc, OSError) and exc.strerror:  # the system's own words (e.g. no space left), never ours
        return f"The system refused: {exc.strerror} ({where(exc)}).", EXIT_FAULT
    return (f"The coach stopped on an unexpected {type(exc).__name__} ({where(exc)}). This is a bug: please "
            "report it with the command you ran, leaving out anything personal."), EXIT_FAULT


def settings_problem(exc: ValidationError) -> str:
    """Which settings are wrong and why, without their values (a value may be a secret)."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        name = "_".join(str(part) for part in error["loc"]).upper()
        problems.append(f"{name if name.startswith(('OPENAI_', 'SLACK_')) else 'COACH_' + name}: {error['msg']}")
    return ("A setting is not valid (from the environment or .env): " + "; ".join(problems)
            + ". Fix it and run again; `coach config` shows the effective settings.")


def where(exc: BaseException) -> str:
    """'bot/x.py:12' for the innermost frame in the coach's own code, else the innermost frame."""
    frames = list(traceback.extract_tb(exc.__traceback__))
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_PACKAGE)]
    if not (ours or frames):
        return "no traceback"
    frame = (ours or frames)[-1]
    path = Path(frame.filename).resolve()
    shown = path.relative_to(_PACKAGE.parent) if path.is_relative_to(_PACKAGE.parent) else path.name
    return f"{shown}:{frame.lineno}"


def _name(filename: object) -> str:
    text = str(filename)
    return text if text.isprintable() else repr(text)  # repr escapes undecodable bytes and control characters
