"""`coach db`: the database schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli import app
from bot.config import get_settings

db_app = typer.Typer(help="The coaching database (SQLite in the data directory, or COACH_DATABASE_URL).",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(highlight=False)


@db_app.command("upgrade")
def upgrade() -> None:
    """Apply any pending migrations (the coach also does this at start-up)."""
    from bot.storage import open_database
    from bot.storage.migrate import current_revision

    db = open_database(get_settings())
    console.print(f"Database {db.url} is at schema revision {current_revision(db.engine)}.")
    db.close()


@db_app.command("backup")
def backup(to: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")]) -> None:
    """SQLite: copy the database with SQLite's online backup API, consistent even while the coach writes.
    PostgreSQL: use pg_dump (see the README, "Backup and restore")."""
    from bot.storage.backup import backup_sqlite

    backup_sqlite(_sqlite_path(), to)
    console.print(f"Backed up to {to}.")


@db_app.command("restore")
def restore(source: Annotated[Path, typer.Argument(help="A file written by `coach db backup`.")]) -> None:
    """SQLite: replace the database's contents with the backup's. Stop every worker first."""
    from bot.storage.backup import restore_sqlite

    restore_sqlite(source, _sqlite_path())
    console.print(f"Restored from {source}.")


def _sqlite_path() -> Path:
    from sqlalchemy.engine import make_url

    from bot.errors import ConfigurationError

    url = make_url(get_settings().effective_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ConfigurationError("`coach db backup` and `restore` are for SQLite; for PostgreSQL use pg_dump and "
                                 "pg_restore (README, \"Backup and restore\").")
    return Path(url.database)
