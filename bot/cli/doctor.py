"""`coach doctor`: the readiness checks a serving worker answers /readyz with, one line each."""

from __future__ import annotations

import typer
from rich.console import Console

from bot.cli import app
from bot.config import get_settings

console = Console(highlight=False, soft_wrap=True)


@app.command()
def doctor() -> None:
    """Check the database, the index and (when configured) the model; exit 1 if any check fails."""
    from bot.observability.health import beyond_database, database_probe, run
    from bot.storage import connect

    settings = get_settings()

    def database() -> str:
        db = connect(settings.effective_database_url, migrate=False)  # a check changes nothing
        try:
            return database_probe(db)()
        finally:
            db.close()

    checks = [run("database", database), *beyond_database(settings)]
    for check in checks:
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {check.name}: {check.detail}")
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
