"""What the coaching commands share: the database, the privacy notice on first use, reading answers from the
terminal, auditing what the operator does to a person's data, and the checks every command's options get before
anything is opened or stored."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.prompt import Confirm

from bot.coaching import validation
from bot.config import get_settings
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.storage import Database

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

USER_HELP = "The person's user id (opaque, e.g. slack:T123:U456 or an email); audited as you acting on them."
NOTICE_FOOTER = ("\nAt the terminal: `coach my-data export --user ID` (a copy), `coach my-data erase --user ID --yes` "
                 "(erasure). In Slack: `/coach my-data`, `/coach forget-me`, `/coach privacy`.")


def checked_user(value: str | None) -> str | None:
    """--user, checked as the services will check it, so that a bad id is refused before the database opens."""
    if value is None:
        return None
    try:
        return validation.user_id(value)
    except InvalidInputError as exc:
        raise typer.BadParameter(str(exc)) from None


def checked_text(value: str | None) -> str | None:
    """An option that is not stored but is searched or printed: it must be text a terminal and a database take."""
    if value is None:
        return None
    try:
        return validation.storable(value, "value", "The value")
    except InvalidInputError as exc:
        raise typer.BadParameter(str(exc)) from None


def output_file(value: Path | None) -> Path | None:
    """A file the command will write: refused up front (naming the option) rather than failing after the work."""
    if value is None:
        return None
    problem = None
    try:
        validation.storable(str(value), "path")
    except InvalidInputError:  # it could be written, but not named in a message or a log
        problem = "the file name is not valid UTF-8 text; choose a plain name"
    else:
        folder = value.parent
        if value.is_dir():
            problem = f"{value} is a folder; give the name of a file (new or to replace) inside it"
        elif not folder.is_dir():
            problem = f"the folder {folder} does not exist; create it first or choose another place"
        elif not os.access(folder, os.W_OK | os.X_OK):
            problem = f"the folder {folder} is not writable"
    if problem:
        raise typer.BadParameter(problem)
    return value


UserOption = Annotated[str, typer.Option("--user", help=USER_HELP, callback=checked_user)]


def database() -> Database:
    from bot.storage import open_database

    return open_database(get_settings())


def interactive() -> bool:
    return sys.stdin.isatty()


def ensure_notice(db: Database, user_id: str, accept: bool) -> None:
    """Give the privacy notice on first use, and record that it was given (by whom: the operator).

    Not consent: nothing is agreed to. The gate makes sure the person has had the notice before anything about
    them is stored; without a terminal to show it on, --yes says it has been given to them.
    """
    if give_notice(db, user_id, accept):
        record_notice(user_id, db)


def give_notice(db: Database, user_id: str, accept: bool) -> bool:
    """Show the notice if this person has not had it; True when it was shown now and is still to be recorded
    (with the first thing stored about them, so a command that stores nothing records nothing)."""
    from bot.coaching.privacy_notice import notice_shown, privacy_notice

    if notice_shown(db.uow(), user_id):
        return False
    err.print(privacy_notice(get_settings()) + NOTICE_FOOTER, markup=False)
    if not accept:
        if not interactive():
            raise InvalidInputError(
                "This is the first time this user has used the coach. Give them the privacy notice above, then "
                "run again with --yes.", field="notice")
        if not Confirm.ask("Continue?", console=err, default=True):
            raise InvalidInputError("Nothing was stored.", field="notice")
    return True


def record_notice(user_id: str, db: Database) -> None:
    from bot.cli.operator import operator_id
    from bot.coaching.privacy_notice import record_notice_shown

    record_notice_shown(db.uow(), user_id, actor=operator_id())


def audit(db: Database, user_id: str, action: str, detail: dict[str, Any] | None = None) -> None:
    """Audit the operator doing `action` to `user_id`'s data (nothing is written if nothing is held on them)."""
    from bot.cli.operator import operator_id
    from bot.coaching.accountability import record_action

    record_action(db.uow(), operator_id(), user_id, action, {"via": "cli", **(detail or {})})


def parse_ratings(values: list[str]) -> dict[str, int]:
    """['listening=3', ...] -> {'listening': 3}; a malformed item names the field. Only the ASCII digits 1-5 are
    ratings: '²' and '٣' are digits to str.isdigit() and int(), and must not become a 2 or a 3."""
    ratings: dict[str, int] = {}
    for item in values:
        name, sep, value = item.partition("=")
        field = f"ratings.{name.strip() or '?'}"
        if not sep:
            raise InvalidInputError(f"{validation.shown(item)} is not ATTRIBUTE=RATING, e.g. listening=3.", field=field)
        try:
            ratings[name.strip()] = validation.rating(value, field)
        except InvalidInputError:
            raise InvalidInputError(f"The rating for {validation.shown(name.strip())} must be a whole number from "
                                    "1 to 5, typed as the digit 1, 2, 3, 4 or 5.", field=field) from None
    return ratings
