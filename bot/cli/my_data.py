"""`coach my-data`: the consent notice, export, erasure and the retention purge."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app
from bot.cli.coaching_common import USER_HELP, console, database
from bot.config import get_settings

data_app = typer.Typer(help="Your data: what is kept, a copy of it, erasure.", no_args_is_help=True)
app.add_typer(data_app, name="my-data")
UserOption = Annotated[str, typer.Option("--user", help=USER_HELP)]


@data_app.command("notice")
def notice() -> None:
    """What the coach stores and who sees what."""
    from bot.coaching.data_rights import consent_notice

    print(consent_notice(get_settings()))


@data_app.command("consent")
def consent(user: UserOption) -> None:
    """Record that the user has read and accepted the notice."""
    from bot.coaching.data_rights import record_consent

    at = record_consent(database().uow(), user)
    console.print(f"Consent recorded ({at:%Y-%m-%d %H:%M} UTC).")


@data_app.command("export")
def export(
    user: UserOption,
    csv: Annotated[bool, typer.Option("--csv", help="Ratings as CSV instead of everything as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
) -> None:
    """Everything stored about the user, as JSON (or the ratings as CSV)."""
    from bot.coaching.data_rights import export_json, export_user_data, ratings_csv

    data = export_user_data(database().uow(), user)
    text = ratings_csv(data) if csv else export_json(data) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"Written to {out}.")


@data_app.command("erase")
def erase(
    user: UserOption,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Delete every row of the user in every table; the audit log keeps only that an erasure happened."""
    from bot.coaching.data_rights import erase_user, pseudonym_secret

    if not yes:
        raise typer.BadParameter("erasure cannot be undone; add --yes to confirm", param_hint="--yes")
    counts = erase_user(database().uow(), user, pseudonym_secret(get_settings()))
    total = sum(counts.values())
    detail = ", ".join(f"{table} {count}" for table, count in counts.items() if count)
    console.print(f"Erased {total} row(s){': ' + detail if detail else ''}.")


@data_app.command("purge-old")
def purge_old() -> None:
    """Delete notes and reflection answers older than COACH_RETENTION_DAYS, conversation turns older than
    COACH_TURN_RETENTION_DAYS."""
    from bot.coaching.data_rights import purge_old as run_purge

    settings = get_settings()
    counts = run_purge(database().uow(), settings.retention_days, turn_retention_days=settings.turn_retention_days)
    console.print(f"Purged free text older than {settings.retention_days} days and conversation turns older "
                  f"than {settings.turn_retention_days} days: "
                  + ", ".join(f"{what} {count}" for what, count in counts.items()) + ".")
