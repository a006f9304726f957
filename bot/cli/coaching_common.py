"""What the coaching commands share: the database, the consent gate, reading answers from the terminal, and
the checks every command's options get before anything is opened or stored."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

USER_HELP = "Your user id (opaque, e.g. slack:T123:U456 or your email)."


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


def ensure_consent(db: Database, user_id: str, accept: bool) -> None:
    """Show the consent notice on first use; record consent when accepted."""
    from bot.coaching.data_rights import consent_notice, has_consented, record_consent

    if has_consented(db.uow(), user_id):
        return
    err.print(consent_notice(get_settings()))
    if not accept:
        if not interactive():
            raise InvalidInputError(
                "This is the first time this user has used the coach. Read the notice above, then run again "
                "with --yes to accept it.", field="consent")
        if not Confirm.ask("Continue on these terms?", console=err, default=True):
            raise InvalidInputError("Nothing was stored: the notice was not accepted.", field="consent")
    record_consent(db.uow(), user_id)


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
