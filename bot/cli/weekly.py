"""`coach weekly`: opt in and out of weekly reflection prompts, and run the scheduler by hand or from cron."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from bot.cli import app
from bot.cli.coaching_common import UserOption, audit, console, database, ensure_notice
from bot.cli.coaching_views import safe

weekly_app = typer.Typer(help="Weekly reflection prompts.", no_args_is_help=True)
app.add_typer(weekly_app, name="weekly")


@weekly_app.command("on")
def weekly_on(
    user: UserOption,
    day: Annotated[str, typer.Option(help="Day of the week.")] = "monday",
    time: Annotated[str, typer.Option("--time", help="Local time, HH:MM.")] = "09:00",
    timezone: Annotated[str | None, typer.Option(help="IANA timezone (default: yours, else Europe/London).")]
    = None,
    yes: Annotated[bool, typer.Option("--yes", help="On first use: the person has been given the privacy notice.")]
    = False,
) -> None:
    """Receive a reflection prompt every week at a local day and time."""
    from bot.coaching import validation
    from bot.coaching.weekly import subscribe

    # Checked before the notice is recorded: a refused schedule stores nothing.
    validation.weekday(day)
    validation.local_time(time)
    if timezone is not None:
        validation.timezone(timezone)
    db = database()
    ensure_notice(db, user, yes)
    subscription = subscribe(db.uow(), user, day, time, timezone)
    audit(db, user, "weekly_on")
    _status_line(subscription)


@weekly_app.command("off")
def weekly_off(user: UserOption) -> None:
    """Stop weekly prompts (your schedule is remembered for next time)."""
    from bot.coaching.weekly import unsubscribe

    db = database()
    stopped = unsubscribe(db.uow(), user)
    if stopped:
        audit(db, user, "weekly_off")
    console.print("Weekly prompts are off." if stopped else "Weekly prompts were not on for this user.")


@weekly_app.command("status")
def weekly_status(user: UserOption) -> None:
    """Show the schedule and when the next prompt is due."""
    from bot.coaching.weekly import subscription_status

    db = database()
    subscription = subscription_status(db.uow(), user)
    audit(db, user, "weekly_status_viewed")
    if subscription is None:
        console.print("Weekly prompts have never been turned on for this user (`coach weekly on`).")
    else:
        _status_line(subscription)


@weekly_app.command("pause")
def weekly_pause(
    user: UserOption,
    until: Annotated[str, typer.Argument(help="The date prompts start again (YYYY-MM-DD, within a year).")],
) -> None:
    """Pause the prompts for leave or holidays: none is sent before UNTIL (in the person's timezone)."""
    from bot.cli.operator import operator_id
    from bot.coaching.pause import pause

    _status_line(pause(database().uow(), user, until, actor=operator_id()))


@weekly_app.command("resume")
def weekly_resume(user: UserOption) -> None:
    """End a pause now: the next prompt comes at the usual time."""
    from bot.cli.operator import operator_id
    from bot.coaching.pause import resume

    subscription = resume(database().uow(), user, actor=operator_id())
    if subscription is None:
        console.print("Weekly prompts are off for this user (`coach weekly on`).")
        return
    _status_line(subscription)


@weekly_app.command("run-due")
def weekly_run_due(
    now: Annotated[str | None, typer.Option(help="Pretend it is this ISO time (default: now).")] = None,
) -> None:
    """Deliver every prompt that is due (printing them here); safe to run from several places at once."""
    from bot.coaching import validation
    from bot.coaching.exercises import exercise_library
    from bot.coaching.scheduler import WeeklyPrompt, run_due

    at = validation.moment(now, "now", "--now") if now else datetime.now(UTC)

    def deliver(prompt: WeeklyPrompt) -> None:
        console.print(f"{safe(prompt.user_id)} [{prompt.iso_week}]: {safe(prompt.text)} "
                      f"(coach reflect {prompt.exercise_id} --user {safe(prompt.user_id)})")
        if prompt.follow_up:
            console.print("    Answer the follow-up with "
                          f"`coach commitments --follow-up --user {safe(prompt.user_id)}`.")

    report = run_due(database().uow(), deliver, exercise_library(), at)
    console.print(f"{len(report.sent)} sent, {len(report.failed)} failed, {len(report.skipped)} skipped.")
    if report.failed:
        raise typer.Exit(1)


def _status_line(subscription) -> None:
    from bot.coaching.validation import WEEKDAYS

    state = "on" if subscription.active else "off"
    line = (f"Weekly prompts are {state}: {WEEKDAYS[subscription.weekday].title()} {subscription.local_time} "
            f"({subscription.timezone}).")
    if subscription.active and subscription.paused_until:
        line += f" Paused until {subscription.paused_until:%Y-%m-%d}."
    if subscription.active and subscription.next_due_at:
        line += f" Next: {subscription.next_due_at:%Y-%m-%d %H:%M} UTC."
    console.print(line)
