"""`coach my-data`: the privacy notice, export, erasure and the retention purge."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import app
from bot.cli.coaching_common import UserOption, console, database, output_file
from bot.config import Settings, get_settings

if TYPE_CHECKING:
    from bot.coaching.uploads import FileRemover
    from bot.storage import Database

data_app = typer.Typer(help="A person's data: the privacy notice, a copy, erasure (each audited as you).",
                       no_args_is_help=True)
app.add_typer(data_app, name="my-data")


@data_app.command("notice")
def notice() -> None:
    """The privacy notice people are given on first use; warns (on stderr) about settings it still lacks."""
    from bot.cli.coaching_common import NOTICE_FOOTER, err
    from bot.coaching.privacy_notice import notice_gaps, privacy_notice

    settings = get_settings()
    print(privacy_notice(settings) + NOTICE_FOOTER)
    for gap in notice_gaps(settings):
        err.print(f"Not set: {gap}.", markup=False)


@data_app.command("notice-given")
def notice_given(user: UserOption) -> None:
    """Record that the person has been given the privacy notice another way (e.g. by e-mail), as you."""
    from bot.cli.operator import operator_id
    from bot.coaching.privacy_notice import record_notice_shown

    at = record_notice_shown(database().uow(), user, actor=operator_id())
    console.print(f"Privacy notice recorded as given ({at:%Y-%m-%d %H:%M} UTC).")


@data_app.command("export")
def export(
    user: UserOption,
    csv: Annotated[bool, typer.Option("--csv", help="Ratings as CSV instead of everything as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.",
                                             callback=output_file)] = None,
) -> None:
    """Everything stored about the user, as JSON (or the ratings as CSV)."""
    from bot.cli.operator import operator_id
    from bot.coaching.data_rights import export_json, export_user_data, ratings_csv

    data = export_user_data(database().uow(), user, actor=operator_id())
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
    """Delete every row of the user in every table, and the files the app uploaded about them to Slack (when
    SLACK_BOT_TOKEN is set); the audit log keeps only that an erasure happened."""
    from bot.cli.operator import operator_id
    from bot.coaching.data_rights import pseudonym_secret
    from bot.coaching.uploads import erase_with_files

    if not yes:
        raise typer.BadParameter("erasure cannot be undone; add --yes to confirm", param_hint="--yes")
    settings = get_settings()
    db = database()
    report = erase_with_files(db.uow, user, pseudonym_secret(settings), _slack_file_remover(settings, db, user),
                              actor=operator_id())
    total = sum(report.rows.values())
    detail = ", ".join(f"{table} {count}" for table, count in report.rows.items() if count)
    console.print(f"Erased {total} row(s){': ' + detail if detail else ''}.")
    if report.files_deleted:
        console.print(f"Deleted {len(report.files_deleted)} file(s) the coach had uploaded to Slack.")
    if report.files_left:
        why = "Slack refused or could not be reached" if settings.slack_bot_token or settings.slack_client_id \
            else "SLACK_BOT_TOKEN is not set"
        console.print(f"[bold]Not deleted from Slack ({why}):[/bold] "
                      + ", ".join(f"{f.ref} ({f.filename})" for f in report.files_left)
                      + ". Ask the Slack workspace administrator to delete them.", markup=True)
    console.print("The person's own messages in their DM with the coach stay in Slack until they delete them.")


def _slack_file_remover(settings: Settings, db: Database, user: str) -> FileRemover | None:
    """With the bot token of the person's own workspace: the one token, or (many workspaces) their workspace's
    installation; none if the app is no longer installed there."""
    from bot.slack.client import build_client
    from bot.slack.uploads import SlackFileRemover

    if settings.slack_client_id and settings.slack_client_secret:
        from bot.slack.credentials import slack_credentials
        from bot.slack.installations import NotASlackUser, WorkspaceNotInstalled, workspaces_for

        credentials = slack_credentials(settings)
        try:
            return SlackFileRemover(workspaces_for(credentials, settings, db.engine, build_client(settings))
                                    .client_for(user))
        except (WorkspaceNotInstalled, NotASlackUser):
            return None
    if settings.slack_bot_token is None:
        return None
    return SlackFileRemover(build_client(settings, settings.slack_bot_token.get_secret_value()))


@data_app.command("remembers")
def remembers(
    user: UserOption,
    delete: Annotated[int | None, typer.Option("--delete", help="Delete commitment #N.")] = None,
    correct: Annotated[int | None, typer.Option("--correct", help="Correct commitment #N (with --what/--by/--with)."
                                                )] = None,
    what: Annotated[str | None, typer.Option("--what", help="With --correct: what they will do.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="With --correct: by when (YYYY-MM-DD; '' clears it).")]
    = None,
    with_whom: Annotated[str | None, typer.Option("--with", help="With --correct: with whom ('' clears it).")]
    = None,
    forget_conversations: Annotated[bool, typer.Option("--forget-conversations",
                                                       help="Clear the conversation memory.")] = False,
) -> None:
    """What the coach remembers about the person (commitments, conversation memory), to correct or delete."""
    from bot.cli.remembers import run

    run(user, delete=delete, correct=correct, what=what, by=by, with_whom=with_whom,
        forget_conversations=forget_conversations)


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
