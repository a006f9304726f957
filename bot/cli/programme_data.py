"""`coach demo-data` (a synthetic programme to try the coach with) and `coach import ratings FILE.csv` (earlier
ratings from paper or another tool)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app
from bot.cli.coaching_common import console, database, err
from bot.cli.coaching_views import safe
from bot.config import get_settings

import_app = typer.Typer(help="Bring earlier data into the coach (audited as you).", no_args_is_help=True)
app.add_typer(import_app, name="import")


@app.command("demo-data")
def demo_data(
    people: Annotated[int, typer.Option(help="How many people (10 to 20,000).")] = 300,
    months: Annotated[int, typer.Option(help="How many months of history, ending --until (3 to 60).")] = 18,
    cohorts: Annotated[int, typer.Option(help="How many cohorts (1 to 10); the last one is small.")] = 6,
    seed: Annotated[int, typer.Option(help="The same seed and --until give the same programme.")] = 1,
    until: Annotated[str | None, typer.Option(help="The last day, YYYY-MM-DD (default today).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Add demo data even though real people are in the "
                                                        "database (their trends would include it).")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the demo data instead.")] = False,
) -> None:
    """A realistic synthetic programme: people with ids beginning 'demo:', cohorts, ratings over time with
    drop-outs, exercises, and two demo programme managers. Replaces earlier demo data."""
    from bot.cli.operator import operator_id
    from bot.coaching.demo_data import generate, load_demo, remove_demo
    from bot.coaching.exercises import exercise_library

    if remove:
        removed = remove_demo(database().uow())
        console.print("Removed: " + (", ".join(f"{t} {n}" for t, n in removed.items()) or "no demo data found") + ".")
        return
    try:
        last = date.fromisoformat(until) if until is not None else None
    except ValueError:
        raise typer.BadParameter("--until must be a date written YYYY-MM-DD") from None
    programme = generate(exercise_library(), people=people, months=months, cohorts=cohorts, seed=seed, until=last)
    report = load_demo(database().uow(), programme, actor=operator_id(), force=force)
    if report.removed:
        console.print("Replaced the earlier demo data.")
    console.print(f"Demo programme: {report.people} people in {cohorts} cohort(s), {report.submissions} "
                  f"self-assessments and check-ins ({report.ratings} ratings), {report.sessions} exercises.")
    managers = ", ".join(f"{m} ({'cohort ' + c[0] if c else 'whole programme'})" for m, c in programme.managers)
    console.print(f"Programme managers: {managers}. Try `coach trends --user {programme.managers[0][0]}`.")


@import_app.command("ratings")
def import_ratings(
    file: Annotated[Path, typer.Argument(help="A CSV file with the columns person, cohort, attribute, rating "
                                              "(1-5), date (YYYY-MM-DD), in any order.")],
) -> None:
    """Earlier ratings with their dates: every row checked first (errors name the line), then stored all or
    nothing; importing the same rows again adds nothing."""
    from bot.cli.operator import operator_id
    from bot.coaching.data_rights import pseudonym_secret
    from bot.coaching.rating_csv import MAX_BYTES
    from bot.coaching.rating_import import import_ratings as run_import

    if not file.is_file():
        raise typer.BadParameter(f"{safe(str(file))} is not a file", param_hint="FILE")
    with file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)  # never more than the limit into memory, however large the file
    report = run_import(database().uow(), data, actor=operator_id(), secret=pseudonym_secret(get_settings()))
    console.print(f"{report.rows} rating(s) in the file: {report.added} added, {report.already} already imported"
                  + (f", {report.repeats} repeated line(s) counted once" if report.repeats else "") + ".")
    if report.added:
        console.print(f"{report.people} people; {report.new_people} new to the coach.")
    if report.new_people:
        err.print("The new people have not been given the privacy notice by the coach: give it to them (`coach "
                  "my-data notice`) and record it (`coach my-data notice-given --user ID`).")
    for period, count in sorted(report.in_published.items()):
        err.print(f"{count} rating(s) fall in {period}, whose trends were already published: they show in the "
                  "people's own history, never in trends.")
