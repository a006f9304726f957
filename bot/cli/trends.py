"""`coach trends` (programme managers) and `coach people set` (who is in which cohort, with which role)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import app
from bot.cli.coaching_common import USER_HELP, checked_user, console, database, output_file
from bot.cli.coaching_views import safe
from bot.config import get_settings

if TYPE_CHECKING:
    from bot.coaching.trends import CohortTrends

people_app = typer.Typer(help="People: cohort, role and timezone (administrators).", no_args_is_help=True)
app.add_typer(people_app, name="people")


@app.command()
def trends(
    user: Annotated[str, typer.Option("--user", help="The programme manager on whose behalf you look (audited "
                                                     "as you, for them).", callback=checked_user)],
    cohort: Annotated[str | None, typer.Option(help="Only this cohort.")] = None,
    periods: Annotated[int, typer.Option(help="How many closed periods (COACH_TRENDS_PERIOD: quarters unless "
                                              "set to months).")] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    chart: Annotated[Path | None, typer.Option(help="Also write a PNG chart of one group (--cohort, else the "
                                                    "first shown) to this path.", callback=output_file)] = None,
    heatmap: Annotated[Path | None, typer.Option(help="Also write a PNG heatmap of every group shown by the nine "
                                                      "attributes, for the latest period, to this path.",
                                                 callback=output_file)] = None,
    baseline: Annotated[str | None, typer.Option(help="With --heatmap: show the change since this period, "
                                                      "e.g. 2026-Q1.")] = None,
) -> None:
    """Anonymised cohort trends: published, noisy mean self-ratings of closed periods, for large enough groups."""
    from bot.cli.operator import operator_id
    from bot.coaching.trends import trends_for_manager
    from bot.coaching.trends_noise import LaplaceNoise

    settings = get_settings()
    found = trends_for_manager(database().uow(), user, min_group=settings.trends_min_cohort,
                               period=settings.trends_period, periods=periods, cohort=cohort,
                               noise=LaplaceNoise(settings.trends_epsilon), actor=operator_id())
    if as_json:
        print(json.dumps(asdict(found), indent=2, ensure_ascii=False))
    else:
        _print_tables(found)
    if heatmap is not None:
        from bot.coaching.trends_heatmap import heatmap as build_heatmap
        from bot.coaching.trends_heatmap import render_heatmap

        if baseline is not None and baseline not in found.periods:
            raise typer.BadParameter(f"--baseline must be one of the periods shown: {', '.join(found.periods)}")
        render_heatmap(build_heatmap(found, baseline=baseline), heatmap)
        console.print(f"Heatmap of {found.periods[-1]} written to {safe(str(heatmap))}.")
    if chart is not None:
        if not found.groups:
            console.print("No chart: no group is large enough to show.")
            return
        from bot.coaching.chart import render_trends_chart

        render_trends_chart(found, found.groups[0].label, chart)
        console.print(f"Chart of {safe(found.groups[0].label)} written to {safe(str(chart))}.")


def _print_tables(found: CohortTrends) -> None:
    from rich import box
    from rich.table import Table

    from bot.coaching.trends import signed

    console.print(f"Mean self-rating (1-5) per closed {found.period}, published once and never changed; only "
                  f"groups of at least {found.min_group} people; '·' where not published. Means carry "
                  "deliberate noise (--json gives each one's ± margin), so read small moves with care.")
    if not found.groups:
        console.print("No group is large enough to show yet.")
    for group in found.groups:
        table = Table(title=safe(group.label), title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1),
                      collapse_padding=True, pad_edge=False)
        table.add_column("Attribute", min_width=20, max_width=30)
        for label in found.periods:
            table.add_column(label, justify="right")
        table.add_column("Δ", justify="right")  # change from the first figure shown to the latest
        table.add_row("[dim]people[/dim]", *[f"[dim]{'·' if n is None else n}[/dim]" for n in group.people], "")
        for s in group.attributes:
            table.add_row(safe(s.name), *['·' if m is None else f"{m:.1f}" for m in s.means], signed(s.change))
        console.print(table)


@people_app.command("set")
def set_person(
    user: Annotated[str, typer.Argument(help=USER_HELP, callback=checked_user)],
    role: Annotated[str | None, typer.Option(help="officer, leader or programme_manager.")] = None,
    cohort: Annotated[str | None, typer.Option(help="Cohort or organisation label, for trends.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA timezone, e.g. Europe/London.")] = None,
) -> None:
    """Set a person's role, cohort or timezone (creating them if new); a role or cohort change is audited as you."""
    from bot.cli.operator import operator_id
    from bot.coaching.conversation import set_profile

    if role is None and cohort is None and timezone is None:
        raise typer.BadParameter("give at least one of --role, --cohort, --timezone")
    person = set_profile(database().uow(), user, role=role, cohort=cohort, timezone=timezone, actor=operator_id())
    console.print(f"{safe(person.id)}: role {safe(person.role)}, cohort {safe(person.cohort or '(none)')}, "
                  f"timezone {safe(person.timezone)}.")
