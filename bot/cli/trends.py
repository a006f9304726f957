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
    from rich.console import Console

    from bot.coaching.trends import CohortTrends
    from bot.coaching.trends_table import TrendsTable

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
    chart: Annotated[Path | None, typer.Option(help="Also write a PNG chart to this path: one panel per attribute "
                                                    "(all nine), a line per group shown.",
                                               callback=output_file)] = None,
    heatmap: Annotated[Path | None, typer.Option(help="Also write a PNG heatmap of every group shown by the nine "
                                                      "attributes, for the latest period, to this path.",
                                                 callback=output_file)] = None,
    baseline: Annotated[str | None, typer.Option(help="The period the change is counted from (default: the first "
                                                      "shown), e.g. 2026-Q1.")] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Also write the tables, exactly as shown, to this "
                                                                "CSV file.", callback=output_file)] = None,
    html_file: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML report "
                                                                  "(highlights, charts embedded, tables) to this file.",
                                                   callback=output_file)] = None,
) -> None:
    """Anonymised cohort trends: published, noisy mean self-ratings and participation of closed periods, for large
    enough groups, with plain-language highlights."""
    from bot.cli.operator import operator_id
    from bot.coaching.trends import trends_for_manager
    from bot.coaching.trends_noise import LaplaceNoise
    from bot.coaching.trends_table import trends_table

    settings = get_settings()
    found = trends_for_manager(database().uow(), user, min_group=settings.trends_min_cohort,
                               period=settings.trends_period, periods=periods, cohort=cohort,
                               noise=LaplaceNoise(settings.trends_epsilon), actor=operator_id(),
                               freeze_at_most=None)  # no scheduler need run beside the CLI: it freezes what is due
    if baseline is not None and baseline not in found.periods:
        raise typer.BadParameter(f"--baseline must be one of the periods shown: {', '.join(found.periods)}",
                                 param_hint="--baseline")
    table = trends_table(found, baseline)
    if as_json:
        print(json.dumps(asdict(found), indent=2, ensure_ascii=False))
    else:
        print_trends(found, table)
    if csv_file is not None:
        from bot.coaching.trends_table import table_csv

        csv_file.write_text(table_csv(table), encoding="utf-8")
        console.print(f"Tables written to {safe(str(csv_file))}.")
    if html_file is not None:
        from bot.coaching.trends_report import html_report

        html_file.write_text(html_report(found, baseline), encoding="utf-8")
        console.print(f"Report written to {safe(str(html_file))}.")
    if heatmap is not None:
        from bot.coaching.trends_heatmap import heatmap as build_heatmap
        from bot.coaching.trends_heatmap import render_heatmap

        since = table.baseline if table.baseline != found.periods[-1] else None  # the tables' change, drawn
        render_heatmap(build_heatmap(found, baseline=since), heatmap)
        console.print(f"Heatmap of {found.periods[-1]} written to {safe(str(heatmap))}.")
    if chart is not None:
        if not found.groups:
            console.print("No chart: no group is large enough to show.")
            return
        from bot.coaching.trends_chart import render_trends_panels

        render_trends_panels(found, chart)
        console.print(f"Chart of the nine attributes written to {safe(str(chart))}.")


def print_trends(found: CohortTrends, table: TrendsTable, out: Console | None = None) -> None:
    """The highlights, then one table per group: participation, then all nine attributes, then the change."""
    from rich import box
    from rich.table import Table

    from bot.coaching.trends_highlights import highlights

    out = out or console
    out.print(f"Per closed {found.period}, published once and never changed; only groups of at least "
              f"{found.min_group} people; '·' where not published. Means (1-5) carry deliberate noise (--json "
              f"gives each one's ± margin), so read small moves with care. Δ: change since {table.baseline}.")
    if not found.groups:
        out.print("No group is large enough to show yet.")
        return
    out.print("[bold]Highlights[/bold]")
    for highlight in highlights(found):
        out.print(f"• {safe(highlight.text)}")
    for group in dict.fromkeys(r.group for r in table.rows):
        grid = Table(title=safe(group), title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1),
                     collapse_padding=True, pad_edge=False)
        grid.add_column("Measure", min_width=16, max_width=30, overflow="fold")
        for label in found.periods:
            grid.add_column(label, justify="right", no_wrap=True)
        grid.add_column("Δ", justify="right", no_wrap=True, min_width=4)
        for row in table.group_rows(group):
            style = "dim" if row.kind == "participation" else None
            grid.add_row(safe(row.measure), *row.values, row.change, style=style)
        out.print(grid)


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
