"""What the coaching commands share: the database, the privacy notice on first use, reading answers from the
terminal, and auditing what the operator does to a person's data."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.prompt import Confirm

from bot.config import get_settings
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.storage import Database

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

USER_HELP = "The person's user id (opaque, e.g. slack:T123:U456 or an email); audited as you acting on them."
NOTICE_FOOTER = ("\nAt the terminal: `coach my-data export --user ID` (a copy), `coach my-data erase --user ID --yes` "
                 "(erasure). In Slack: `/coach my-data`, `/coach forget-me`, `/coach privacy`.")


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
    from bot.cli.operator import operator_id
    from bot.coaching.privacy_notice import notice_shown, privacy_notice, record_notice_shown

    if notice_shown(db.uow(), user_id):
        return
    err.print(privacy_notice(get_settings()) + NOTICE_FOOTER, markup=False)
    if not accept:
        if not interactive():
            raise InvalidInputError(
                "This is the first time this user has used the coach. Give them the privacy notice above, then "
                "run again with --yes.", field="notice")
        if not Confirm.ask("Continue?", console=err, default=True):
            raise InvalidInputError("Nothing was stored.", field="notice")
    record_notice_shown(db.uow(), user_id, actor=operator_id())


def audit(db: Database, user_id: str, action: str, detail: dict[str, Any] | None = None) -> None:
    """Audit the operator doing `action` to `user_id`'s data (nothing is written if nothing is held on them)."""
    from bot.cli.operator import operator_id
    from bot.coaching.accountability import record_action

    record_action(db.uow(), operator_id(), user_id, action, {"via": "cli", **(detail or {})})


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
