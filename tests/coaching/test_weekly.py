"""Weekly prompts: schedules in local time, exactly once per user and week, no backlog after downtime."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.coaching.exercises import ExerciseLibrary
from bot.coaching.scheduler import WeeklyPrompt, run_due
from bot.coaching.weekly import iso_week, next_occurrence, subscribe, subscription_status, unsubscribe
from bot.errors import InvalidInputError
from bot.storage import Database

# Sunday 1 March 2026, 12:00 UTC; the next Monday is 2 March.
SUNDAY = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


class Outbox:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[WeeklyPrompt] = []
        self.fail = fail

    def __call__(self, prompt: WeeklyPrompt) -> None:
        if self.fail:
            raise ConnectionError("Slack is down")
        self.sent.append(prompt)


@pytest.mark.parametrize(("after", "day", "at", "zone", "expected"), [
    (SUNDAY, 0, "09:00", "Europe/London", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),  # GMT
    (datetime(2026, 3, 30, 9, 30, tzinfo=UTC), 0, "09:00", "Europe/London",
     datetime(2026, 4, 6, 8, 0, tzinfo=UTC)),  # BST: 09:00 local is 08:00 UTC
    (SUNDAY, 0, "09:00", "America/New_York", datetime(2026, 3, 2, 14, 0, tzinfo=UTC)),
    (SUNDAY, 6, "13:00", "Europe/London", datetime(2026, 3, 1, 13, 0, tzinfo=UTC)),  # later today
    (SUNDAY, 6, "11:00", "Europe/London", datetime(2026, 3, 8, 11, 0, tzinfo=UTC)),  # today's has passed
    (datetime(2026, 3, 28, 12, 0, tzinfo=UTC), 6, "01:30", "Europe/London",
     datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # 01:30 does not exist on the spring-forward night
])
def test_next_occurrence_is_in_the_users_local_time(after, day, at, zone, expected) -> None:  # type: ignore[no-untyped-def]
    assert next_occurrence(after, day, at, zone) == expected


def test_subscribing_defaults_to_monday_nine_in_london(db: Database) -> None:
    subscription = subscribe(db.uow(), "u1", now=SUNDAY)
    assert (subscription.weekday, subscription.local_time, subscription.timezone) == (0, "09:00", "Europe/London")
    assert subscription.next_due_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    unsubscribe(db.uow(), "u1", now=SUNDAY)
    status = subscription_status(db.uow(), "u1")
    assert status is not None and not status.active


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"timezone": "Mars/Olympus"}, "timezone"), ({"timezone": ""}, "timezone"), ({"at": "25:00"}, "time"),
    ({"at": "9am"}, "time"), ({"at": "09:00:30"}, "time"), ({"day": "someday"}, "day"), ({"day": 7}, "day"),
])
def test_a_bad_schedule_names_the_field_and_stores_nothing(db: Database, kwargs, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError) as info:
        subscribe(db.uow(), "u1", now=SUNDAY, **kwargs)
    assert info.value.field == field
    assert subscription_status(db.uow(), "u1") is None


def test_each_due_prompt_is_sent_once_however_often_the_scheduler_runs(db: Database, library: ExerciseLibrary) -> None:
    for i in range(5):
        subscribe(db.uow(), f"u{i}", now=SUNDAY)
    subscribe(db.uow(), "later", day="friday", now=SUNDAY)
    outbox = Outbox()
    monday = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
    assert run_due(db.uow(), outbox, library, SUNDAY).sent == []
    first = run_due(db.uow(), outbox, library, monday)
    run_due(db.uow(), outbox, library, monday + timedelta(minutes=1))
    run_due(db.uow(), outbox, library, monday + timedelta(days=2))
    assert sorted(first.sent) == [f"u{i}" for i in range(5)]
    assert sorted(p.user_id for p in outbox.sent) == [f"u{i}" for i in range(5)]
    assert {p.iso_week for p in outbox.sent} == {"2026-W10"}


def test_after_weeks_of_downtime_only_the_current_weeks_prompt_is_sent(db: Database, library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    outbox = Outbox()
    back_up = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)  # Wednesday, three Mondays later
    run_due(db.uow(), outbox, library, back_up)
    run_due(db.uow(), outbox, library, back_up + timedelta(hours=1))
    assert [p.iso_week for p in outbox.sent] == [iso_week(back_up, "Europe/London")] == ["2026-W13"]
    assert subscription_status(db.uow(), "u1").next_due_at == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_a_failed_delivery_is_retried_within_the_week_and_then_sent_once(db: Database,
                                                                         library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    report = run_due(db.uow(), Outbox(fail=True), library, monday)
    assert "u1" in report.failed
    with db.uow() as uow:
        delivery = uow.weekly.delivery("u1", "2026-W10")
        assert delivery is not None and delivery.status == "failed" and "Slack is down" in (delivery.error or "")
    outbox = Outbox()
    run_due(db.uow(), outbox, library, monday + timedelta(minutes=5))
    run_due(db.uow(), outbox, library, monday + timedelta(minutes=10))
    assert [p.user_id for p in outbox.sent] == ["u1"]


def test_consecutive_weeks_rotate_through_exercises(db: Database, library: ExerciseLibrary) -> None:
    subscribe(db.uow(), "u1", now=SUNDAY)
    outbox = Outbox()
    for week in range(3):
        run_due(db.uow(), outbox, library, datetime(2026, 3, 2, 9, 5, tzinfo=UTC) + timedelta(weeks=week))
    assert len(outbox.sent) == 3 and len({p.exercise_id for p in outbox.sent}) == 3


def test_snoozed_and_stopped_users_get_no_prompt(db: Database, library: ExerciseLibrary) -> None:
    from bot.coaching.weekly import snooze

    subscribe(db.uow(), "snoozer", now=SUNDAY)
    subscribe(db.uow(), "stopper", now=SUNDAY)
    snooze(db.uow(), "snoozer", datetime(2026, 3, 5, tzinfo=UTC), now=SUNDAY)
    unsubscribe(db.uow(), "stopper", now=SUNDAY)
    outbox = Outbox()
    run_due(db.uow(), outbox, library, datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
    assert outbox.sent == []
    run_due(db.uow(), outbox, library, datetime(2026, 3, 5, 9, 5, tzinfo=UTC))  # snooze over, same week
    assert [p.user_id for p in outbox.sent] == ["snoozer"]


@pytest.mark.slow
def test_two_scheduler_processes_send_each_due_prompt_once(db: Database, database_url: str, tmp_path: Path) -> None:
    users = [f"slack:T1:U{i:04d}" for i in range(150)]
    for user in users:
        subscribe(db.uow(), user, now=SUNDAY)
    out = tmp_path / "sent.txt"
    out.touch()
    command = [sys.executable, "-m", "tests.coaching.scheduler_worker", database_url,
               datetime(2026, 3, 2, 9, 1, tzinfo=UTC).isoformat(), str(out),
               str(Path(__file__).parent / "fixtures" / "exercises")]
    workers = [subprocess.Popen(command, cwd=REPO) for _ in range(2)]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    sent = [line.split()[1] for line in out.read_text().splitlines()]
    assert sorted(sent) == users  # every user exactly once, whichever process sent it


def test_paging_through_many_users_due_at_the_same_moment_reaches_each_once(db: Database,
                                                                             library: ExerciseLibrary) -> None:
    for i in range(11):
        subscribe(db.uow(), f"u{i:02d}", now=SUNDAY)
    outbox = Outbox()
    report = run_due(db.uow(), outbox, library, datetime(2026, 3, 2, 9, 1, tzinfo=UTC), batch=3)
    assert sorted(p.user_id for p in outbox.sent) == [f"u{i:02d}" for i in range(11)] == sorted(report.sent)


# -- Skip this week / Snooze a day ---------------------------------------------------------------------------
MONDAY = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)  # just after the 09:00 (GMT) prompt of week 2026-W10


def deliveries(db: Database, user: str = "u1") -> list:  # type: ignore[type-arg]
    with db.uow() as uow:
        return uow.weekly.deliveries(user)


def test_a_week_skipped_before_its_prompt_is_not_sent_and_the_next_week_is(db: Database,
                                                                            library: ExerciseLibrary) -> None:
    from bot.coaching.weekly import skip_week

    subscribe(db.uow(), "u1", now=SUNDAY)
    first = skip_week(db.uow(), "u1", now=SUNDAY)  # the next prompt due: Monday's, week 10
    again = skip_week(db.uow(), "u1", now=SUNDAY + timedelta(hours=1))
    assert (first.iso_week, first.status, first.skipped_at) == ("2026-W10", "skipped", SUNDAY)
    assert again.skipped_at == SUNDAY  # a repeated skip records nothing new
    outbox = Outbox()
    run_due(db.uow(), outbox, library, MONDAY)
    run_due(db.uow(), outbox, library, MONDAY + timedelta(days=3))
    assert outbox.sent == []
    assert subscription_status(db.uow(), "u1").next_due_at == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # type: ignore[union-attr]
    run_due(db.uow(), outbox, library, MONDAY + timedelta(weeks=1))
    assert [p.iso_week for p in outbox.sent] == ["2026-W11"]
    assert len(deliveries(db)) == 2


def test_skipping_a_prompt_already_sent_is_recorded_once_and_nothing_more_is_sent(db: Database,
                                                                                 library: ExerciseLibrary) -> None:
    from bot.coaching.weekly import skip_week

    subscribe(db.uow(), "u1", now=SUNDAY)
    outbox = Outbox()
    run_due(db.uow(), outbox, library, MONDAY)
    clicked = MONDAY + timedelta(minutes=30)
    skip_week(db.uow(), "u1", now=clicked, week="2026-W10")
    skip_week(db.uow(), "u1", now=clicked + timedelta(seconds=2), week="2026-W10")  # a retried click
    [delivery] = deliveries(db)
    assert (delivery.status, delivery.sent_at, delivery.skipped_at) == ("skipped", MONDAY, clicked)
    run_due(db.uow(), outbox, library, MONDAY + timedelta(days=2))
    assert len(outbox.sent) == 1


def test_a_snoozed_prompt_comes_back_once_a_day_later_with_the_same_exercise(db: Database,
                                                                            library: ExerciseLibrary) -> None:
    from bot.coaching.weekly import snooze

    subscribe(db.uow(), "u1", now=SUNDAY)
    outbox = Outbox()
    run_due(db.uow(), outbox, library, MONDAY)
    clicked = MONDAY + timedelta(minutes=29)
    tomorrow = clicked + timedelta(days=1)
    snoozed = snooze(db.uow(), "u1", tomorrow, now=clicked, week="2026-W10")
    snooze(db.uow(), "u1", tomorrow, now=clicked + timedelta(seconds=1), week="2026-W10")  # a retried click
    assert snoozed.next_due_at == tomorrow == snoozed.snoozed_until
    run_due(db.uow(), outbox, library, tomorrow - timedelta(minutes=1))
    assert len(outbox.sent) == 1  # not before the snooze ends
    for minutes in (1, 2, 60 * 24):
        run_due(db.uow(), outbox, library, tomorrow + timedelta(minutes=minutes))
    assert [p.iso_week for p in outbox.sent] == ["2026-W10", "2026-W10"]
    assert outbox.sent[1].exercise_id == outbox.sent[0].exercise_id
    [delivery] = deliveries(db)
    assert (delivery.status, delivery.snoozed_until) == ("sent", tomorrow)
    assert subscription_status(db.uow(), "u1").next_due_at == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_a_snoozed_prompt_is_sent_once_by_two_scheduler_processes(database_url: str,
                                                                  library: ExerciseLibrary) -> None:
    import threading

    from bot.coaching.weekly import snooze
    from bot.storage import connect

    databases = [connect(database_url) for _ in range(2)]
    try:
        db = databases[0]
        subscribe(db.uow(), "u1", now=SUNDAY)
        run_due(db.uow(), Outbox(), library, MONDAY)
        tomorrow = MONDAY + timedelta(days=1)
        snooze(db.uow(), "u1", tomorrow, now=MONDAY, week="2026-W10")
        outboxes = [Outbox(), Outbox()]
        barrier = threading.Barrier(2)

        def work(database: Database, outbox: Outbox) -> None:
            barrier.wait()
            run_due(database.uow(), outbox, library, tomorrow + timedelta(minutes=1))

        threads = [threading.Thread(target=work, args=pair) for pair in zip(databases, outboxes, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(len(o.sent) for o in outboxes) == [0, 1]
    finally:
        for database in databases:
            database.close()


def test_skipping_a_snoozed_prompt_cancels_its_return(db: Database, library: ExerciseLibrary) -> None:
    from bot.coaching.weekly import skip_week, snooze

    subscribe(db.uow(), "u1", now=SUNDAY)
    outbox = Outbox()
    run_due(db.uow(), outbox, library, MONDAY)
    snooze(db.uow(), "u1", MONDAY + timedelta(days=1), now=MONDAY, week="2026-W10")
    skip_week(db.uow(), "u1", now=MONDAY + timedelta(hours=1))  # the next prompt due is the snoozed one
    run_due(db.uow(), outbox, library, MONDAY + timedelta(days=1, minutes=1))
    assert len(outbox.sent) == 1
    assert deliveries(db)[0].status == "skipped"


def test_a_snooze_into_the_next_week_sends_that_weeks_prompt_once(db: Database, library: ExerciseLibrary) -> None:
    from bot.coaching.weekly import snooze

    subscribe(db.uow(), "u1", now=SUNDAY)
    outbox = Outbox()
    run_due(db.uow(), outbox, library, MONDAY)
    late_click = datetime(2026, 3, 8, 20, 0, tzinfo=UTC)  # Sunday evening, a day before the next prompt
    snooze(db.uow(), "u1", late_click + timedelta(days=1), now=late_click, week="2026-W10")
    run_due(db.uow(), outbox, library, datetime(2026, 3, 9, 9, 1, tzinfo=UTC))  # the usual time: held back
    assert len(outbox.sent) == 1
    run_due(db.uow(), outbox, library, late_click + timedelta(days=1, minutes=1))
    run_due(db.uow(), outbox, library, late_click + timedelta(days=1, minutes=2))
    assert [p.iso_week for p in outbox.sent] == ["2026-W10", "2026-W11"]


def test_skip_and_snooze_are_in_the_export_and_erased_with_the_user(db: Database, library: ExerciseLibrary) -> None:
    from bot.coaching.data_rights import erase_user, export_user_data
    from bot.coaching.weekly import skip_week, snooze

    subscribe(db.uow(), "u1", now=SUNDAY)
    run_due(db.uow(), Outbox(), library, MONDAY)
    snooze(db.uow(), "u1", MONDAY + timedelta(days=1), now=MONDAY, week="2026-W10")
    skip_week(db.uow(), "u1", now=MONDAY + timedelta(hours=2), week="2026-W11")
    rows = export_user_data(db.uow(), "u1", now=MONDAY)["tables"]["deliveries"]
    assert [(r["iso_week"], r["status"]) for r in rows] == [("2026-W10", "snoozed"), ("2026-W11", "skipped")]
    assert rows[0]["snoozed_until"] == (MONDAY + timedelta(days=1)).isoformat()
    assert rows[1]["skipped_at"] == (MONDAY + timedelta(hours=2)).isoformat()
    counts = erase_user(db.uow(), "u1", b"secret", now=MONDAY)
    assert counts["deliveries"] == 2
    assert deliveries(db) == []


@pytest.mark.parametrize(("call", "field"), [
    (lambda db: __import__("bot.coaching.weekly", fromlist=["skip_week"]).skip_week(
        db.uow(), "nobody", now=SUNDAY), "user_id"),
    (lambda db: __import__("bot.coaching.weekly", fromlist=["skip_week"]).skip_week(
        db.uow(), "u1", now=SUNDAY, week="2026-10"), "week"),
    (lambda db: __import__("bot.coaching.weekly", fromlist=["snooze"]).snooze(
        db.uow(), "u1", SUNDAY - timedelta(hours=1), now=SUNDAY), "until"),
    (lambda db: __import__("bot.coaching.weekly", fromlist=["snooze"]).snooze(
        db.uow(), "u1", datetime(2026, 3, 5), now=SUNDAY), "until"),
])
def test_skip_and_snooze_refuse_bad_input_and_store_nothing(db: Database, call, field: str) -> None:  # type: ignore[no-untyped-def]
    subscribe(db.uow(), "u1", now=SUNDAY)
    with pytest.raises(InvalidInputError) as info:
        call(db)
    assert info.value.field == field
    assert deliveries(db) == [] and subscription_status(db.uow(), "u1").snoozed_until is None  # type: ignore[union-attr]
