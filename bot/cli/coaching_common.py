"""What the coaching commands share: the database, the consent gate, reading answers from the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.prompt import Confirm

from bot.config import get_settings
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.storage import Database

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

USER_HELP = "Your user id (opaque, e.g. slack:T123:U456 or your email)."


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
    """['listening=3', ...] -> {'listening': 3}; a malformed item names the field."""
    ratings: dict[str, int] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not value.strip().lstrip("-").isdigit():
            raise InvalidInputError(f"'{item}' is not ATTRIBUTE=RATING, e.g. listening=3.",
                                    field=f"ratings.{name.strip() or '?'}")
        ratings[name.strip()] = int(value)
    return ratings
