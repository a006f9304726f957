"""`coach db`: the database schema."""

from __future__ import annotations

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
