"""`coach managers grant|revoke|list` (operators give and take away the programme-manager role, audited as them)
and `coach my-data managers-view` (what managers see about the groups a person is in)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import app
from bot.cli.coaching_common import USER_HELP, UserOption, audit, checked_user, console, database
from bot.cli.coaching_views import safe
from bot.cli.my_data import data_app
from bot.config import get_settings

if TYPE_CHECKING:
    from bot.coaching.managers_view import ManagersView

managers_app = typer.Typer(help="Programme managers: who has the role and which cohorts they see (operators; "
                                "every change audited as you).", no_args_is_help=True)
app.add_typer(managers_app, name="managers")


@managers_app.command("grant")
def grant(
    user: Annotated[str, typer.Argument(help=USER_HELP, callback=checked_user)],
    cohort: Annotated[list[str] | None, typer.Option(help="Limit them to this cohort (repeat for more); without "
                                                          "it they see the whole programme.")] = None,
) -> None:
    """Make someone a programme manager (or change their cohorts): they then see the anonymised trends."""
    from bot.cli.operator import operator_id
    from bot.coaching.roles import grant_manager, operator

    role = grant_manager(database().uow(), operator(operator_id()), user, cohort or ())
    console.print(f"{safe(role.user_id)} is a programme manager and sees {safe(role.scope)}.")


@managers_app.command("revoke")
def revoke(user: Annotated[str, typer.Argument(help=USER_HELP, callback=checked_user)]) -> None:
    """Take the programme-manager role away (they become an officer) and the cohorts with it."""
    from bot.cli.operator import operator_id
    from bot.coaching.roles import operator, revoke_manager

    revoke_manager(database().uow(), operator(operator_id()), user)
    console.print(f"{safe(user)} is no longer a programme manager.")


@managers_app.command("list")
def list_managers() -> None:
    """Every programme manager and what they see."""
    from bot.coaching.roles import managers

    found = managers(database().uow())
    if not found:
        console.print("No programme managers.")
    for role in found:
        console.print(f"{safe(role.user_id)}: {safe(role.scope)}")


@data_app.command("managers-view")
def managers_view(
    user: UserOption,
    periods: Annotated[int, typer.Option(help="How many of the latest periods in which they rated.")] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """What programme managers see about the groups the person is in, and the rules that protect them."""
    from bot.coaching.managers_view import managers_view as build

    settings = get_settings()
    db = database()
    view = build(db.uow(), user, min_group=settings.trends_min_cohort, period=settings.trends_period,
                 epsilon=settings.trends_epsilon, periods=periods)
    audit(db, user, "managers_view_read")
    if as_json:
        print(json.dumps(asdict(view), indent=2, ensure_ascii=False, default=str))
    else:
        _print(view)


def _print(view: ManagersView) -> None:
    from rich import box
    from rich.table import Table

    from bot.coaching.managers_view import NEVER, NOT_YET, OPEN

    console.print("[bold]What programme managers see about the groups this person is in[/bold] (never their own "
                  "ratings).")
    if not view.periods:
        console.print("They have no ratings: nothing managers see includes them.")
    why = {OPEN: "still open: nothing is shown until it ends",
           NOT_YET: "ended, not yet published: its figures are fixed when they are published, soon after it ends",
           NEVER: "never published (it overlaps a period already published)"}
    for found in view.periods:
        if found.status in why:
            console.print(f"\n{found.period}: {why[found.status]}.")
            continue
        at = f", fixed {found.published_at:%Y-%m-%d}" if found.published_at else ""
        table = Table(title=f"{found.period}{at}", title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1),
                      pad_edge=False)
        for column in ("Group", "Figure", "People", "Mean ± margin"):
            table.add_column(column, justify="left" if column in ("Group", "Figure") else "right")
        for f in found.figures:
            people = "not published" if f.people is None else str(f.people)
            mean = "" if f.mean is None else f"{f.mean:.1f} ± {f.margin or 0:.1f}"
            table.add_row(safe(f.group), safe(f.attribute), people, mean)
        console.print(table)
    console.print("\n[bold]Who can see these[/bold]")
    for group, count in sorted(view.viewers.items()):
        console.print(f"  {safe(group)}: {count} programme manager(s)")
    console.print("\n[bold]What protects them[/bold]")
    for rule in view.rules:
        console.print(f"  • {safe(rule)}")
