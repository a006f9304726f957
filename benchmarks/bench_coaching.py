"""Coaching-core benchmarks. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_coaching.py [--url postgresql+psycopg://...] [--users 100000]

Targets (issue 3): a submission stored in <= 20 ms p95 on SQLite; the scheduler finds who is due among
100,000 subscribed users in <= 1 s; `history` for 5 years of weekly submissions <= 300 ms including the chart.
Exercise feedback offline <= 100 ms p95 (issue 12; `--only feedback`, with the index the data dir holds).
Also printed: the throughput of a whole weekly run (choose, claim, deliver to a no-op, record), and a
programme manager's trends over two years of ratings, 10,000 people (`--only trends`; target <= 2 s), and from
those trends the HTML report (target <= 3 s) and the heatmap PNG (target <= 1 s).
Each figure runs against a fresh SQLite file in a temporary directory (or the --url database, in a fresh
schema for PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from bot.coaching.assessments import submit_assessment  # noqa: E402
from bot.coaching.attributes import attributes  # noqa: E402
from bot.coaching.chart import render_history_chart  # noqa: E402
from bot.coaching.history import format_history, history_summary  # noqa: E402
from bot.coaching.scheduler import find_due  # noqa: E402
from bot.storage import Database, connect  # noqa: E402
from bot.storage.orm import SubscriptionRow, UserRow  # noqa: E402

if TYPE_CHECKING:
    from bot.coaching.trends import CohortTrends

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{name:<62} median {statistics.median(ms):8.1f} ms   p95 {pct(ms, 0.95):8.1f} ms   (n={len(ms)})")


@contextmanager
def fresh_database(base_url: str | None, workdir: Path, keep: str | None = None) -> Iterator[Database]:
    """A new SQLite file, or a new PostgreSQL schema dropped afterwards (the server may be shared). With `keep`,
    that SQLite file or PostgreSQL schema instead, created if missing and left in place for the next run."""
    if base_url is None:
        db = connect(f"sqlite:///{keep or workdir / f'{uuid.uuid4().hex}.db'}")
        try:
            yield db
        finally:
            db.close()
        return
    schema = keep or f"coach_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        db = connect(f"{base_url}{sep}options=-csearch_path%3D{schema}")
        try:
            yield db
        finally:
            db.close()
    finally:
        if keep is None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def bench_submissions(db: Database, n: int) -> None:
    ratings = dict.fromkeys(attributes().ids, 3)
    times = []
    for i in range(n):
        start = time.perf_counter()
        submit_assessment(db.uow(), f"slack:T1:U{i % 50}", ratings, notes="A note of moderate length." * 3,
                          submission_key=f"k{i}")
        times.append(time.perf_counter() - start)
    report(f"submission of 9 ratings + note ({db.backend})", times)


def bench_due(db: Database, users: int, runs: int) -> None:
    rows = [{"id": f"slack:T1:U{i:06d}", "created_at": NOW, "timezone": "Europe/London", "role": "officer"}
            for i in range(users)]
    # One in seven is due now (Monday 09:00); the rest are spread over the other days.
    subs = [{"user_id": r["id"], "active": True, "weekday": i % 7, "local_time": "09:00", "timezone": "Europe/London",
             "next_due_at": NOW - timedelta(minutes=30) if i % 7 == 0 else NOW + timedelta(days=i % 7),
             "updated_at": NOW} for i, r in enumerate(rows)]
    with db.engine.begin() as connection:
        connection.execute(insert(UserRow), rows)
        connection.execute(insert(SubscriptionRow), subs)
        if db.backend == "postgresql":
            connection.execute(text("ANALYZE subscriptions"))
    for label, when in (("1 in 7 due", NOW), ("all due", NOW + timedelta(days=7))):
        times = []
        found = 0
        for _ in range(runs):
            start = time.perf_counter()
            found, cursor = 0, None
            while batch := find_due(db.uow(), when, 5000, cursor):  # the scheduler's own paging
                found += len(batch)
                cursor = batch[-1]
            times.append(time.perf_counter() - start)
        report(f"find due among {users:,} subscriptions, {label} ({found:,} found)", times)


def bench_run_due(db: Database, users: int) -> None:
    """The whole weekly run (choose an exercise, claim, deliver to a no-op, record) for users all due at once."""
    from bot.coaching.exercises import exercise_library, load_exercises
    from bot.coaching.scheduler import run_due
    from bot.coaching.weekly import subscribe

    library = exercise_library()
    if not len(library):  # the bundled exercises have not landed: use the test fixtures
        library = load_exercises(ROOT / "tests" / "coaching" / "fixtures" / "exercises")
    for i in range(users):
        subscribe(db.uow(), f"slack:T1:U{i:06d}", now=NOW - timedelta(days=1))
    start = time.perf_counter()
    report = run_due(db.uow(), lambda prompt: None, library, NOW)
    elapsed = time.perf_counter() - start
    print(f"{'run_due, ' + format(users, ',') + ' users due at once (' + db.backend + ')':<62} "
          f"total {elapsed:8.2f} s    {len(report.sent) / elapsed:8.0f} prompts/s")


def bench_history(db: Database, runs: int) -> None:
    ids = attributes().ids
    start_at = NOW - timedelta(weeks=260)
    for week in range(260):
        submit_assessment(db.uow(), "historian", {a: 1 + (week // 40 + i) % 5 for i, a in enumerate(ids)},
                          now=start_at + timedelta(weeks=week))
    render_history_chart(history_summary(db.uow(), "historian"))  # warm-up: fonts, imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        summary = history_summary(db.uow(), "historian")
        format_history(summary)
        render_history_chart(summary)
        times.append(time.perf_counter() - start)
    report(f"history, 5 years weekly (2,340 ratings) incl. PNG chart ({db.backend})", times)


def bench_trends(db: Database, users: int, weeks: int, every: int, runs: int) -> None:
    """A programme manager's view of the last 8 closed quarters over `users` people in cohorts of 50, each rating
    all nine attributes every `every` weeks for `weeks` weeks. Timed: the scheduler freezing the closed quarters,
    the first view when none is frozen yet and it freezes them itself (`coach trends`; the snapshots are deleted
    before each of these runs), later views, which read the frozen figures, and a manager's view in Slack (which
    freezes no more than VIEW_FREEZES_AT_MOST ratings) when the latest quarter is not frozen yet, and when none
    is. With --keep the seeded database is reused, so a second run skips the minutes of seeding."""
    from bot.storage.orm import RatingRow

    with db.engine.begin() as connection:
        total = connection.execute(select(func.count()).select_from(RatingRow)).scalar_one()
    if total:
        print(f"reusing the {total:,} ratings already seeded ({db.backend})")
    else:
        total = _seed_ratings(db, users, weeks, every)
    _time_trends(db, f"{users:,} people, {total:,} ratings over {weeks} weeks, {db.backend}", runs)


def _seed_ratings(db: Database, users: int, weeks: int, every: int) -> int:
    from bot.storage.orm import ExerciseSessionRow, RatingRow, SubmissionRow

    ids = attributes().ids
    total = 0
    with db.engine.begin() as connection:
        connection.execute(insert(UserRow), [
            {"id": f"slack:T1:U{i:06d}", "created_at": NOW - timedelta(weeks=weeks), "timezone": "Europe/London",
             "role": "officer",
             "cohort": f"Cohort {i // 50:03d}"} for i in range(users)])
        submission_id = 0
        for week in range(weeks):
            when = NOW - timedelta(weeks=week)
            subs, ratings = [], []
            for i in range(users):
                if (week + i) % every:
                    continue
                submission_id += 1
                subs.append({"id": submission_id, "user_id": f"slack:T1:U{i:06d}", "created_at": when,
                             "source": "bench"})
                ratings += [{"submission_id": submission_id, "user_id": f"slack:T1:U{i:06d}", "attribute_id": a,
                             "rating": 1 + (i + week + k) % 5, "created_at": when, "cohort": f"Cohort {i // 50:03d}"}
                            for k, a in enumerate(ids)]
            if subs:
                connection.execute(insert(SubmissionRow), subs)
                connection.execute(insert(RatingRow), ratings)
            total += len(ratings)
        # everyone finishes a reflective exercise every 13 weeks: participation has something to count
        connection.execute(insert(ExerciseSessionRow), [
            {"user_id": f"slack:T1:U{i:06d}", "exercise_id": "letting-go", "current_step": 3, "status": "finished",
             "started_at": when, "updated_at": when, "finished_at": when}
            for week in range(0, weeks, 13) for i in range(users)
            for when in [NOW - timedelta(weeks=week, days=i % 60)]])
        if db.backend == "postgresql":
            connection.execute(text("ANALYZE ratings; ANALYZE users; ANALYZE exercise_sessions"))
    return total


def _time_trends(db: Database, shape: str, runs: int) -> None:
    from bot.coaching.trends import VIEW_FREEZES_AT_MOST, cohort_trends, publish_closed_periods
    from bot.coaching.trends_noise import LaplaceNoise
    from bot.storage.orm import TrendCellRow, TrendPeriodRow

    def unfreeze(label: str | None = None) -> None:
        with db.engine.begin() as connection:
            for table in (TrendCellRow.__table__, TrendPeriodRow.__table__):
                key = table.c.period if table is TrendCellRow.__table__ else table.c.label
                connection.execute(table.delete().where(key == label) if label else table.delete())

    noise = LaplaceNoise()
    frozen, cold, warm, latest, backlog = [], [], [], [], []
    for _ in range(runs):  # alternated, so a change in the machine's load falls on all of them alike
        unfreeze()
        start = time.perf_counter()  # a manager's view (Slack) over a backlog: left to the scheduler
        cohort_trends(db.uow(), min_group=5, periods=8, now=NOW, noise=noise, freeze_at_most=VIEW_FREEZES_AT_MOST)
        backlog.append(time.perf_counter() - start)
        start = time.perf_counter()
        publish_closed_periods(db.uow(), min_group=5, period="quarter", noise=noise, now=NOW)
        frozen.append(time.perf_counter() - start)
        unfreeze()
        start = time.perf_counter()
        found = cohort_trends(db.uow(), min_group=5, periods=8, now=NOW, noise=noise)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        cohort_trends(db.uow(), min_group=5, periods=8, now=NOW, noise=noise)
        warm.append(time.perf_counter() - start)
        unfreeze(found.periods[-1])
        start = time.perf_counter()  # the quarter that closed since the scheduler last ran: the view freezes it
        cohort_trends(db.uow(), min_group=5, periods=8, now=NOW, noise=noise, freeze_at_most=VIEW_FREEZES_AT_MOST)
        latest.append(time.perf_counter() - start)
    print(f"{shape}; {len(found.groups) - 1} cohorts; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    report("trends, scheduler freezes the 8 closed quarters", frozen)
    report("trends, 8 quarters, first view (freezes them itself)", cold)
    report("trends, 8 quarters, later views (frozen)", warm)
    report("trends, manager's view, the latest quarter not yet frozen", latest)
    report("trends, manager's view, none frozen (left to the scheduler)", backlog)
    bench_trend_outputs(found, runs)


def bench_trend_outputs(found: CohortTrends, runs: int) -> None:
    """What a manager takes away from one view: the heatmap (built and drawn) and the HTML report (highlights,
    heatmap, nine-attribute chart, tables), from the trends already read."""
    from bot.coaching.trends_heatmap import heatmap, render_heatmap
    from bot.coaching.trends_report import html_report

    groups = f"{len(found.groups)} groups x 9 attributes x {len(found.periods)} periods"
    drawn, reports = [], []
    for _ in range(runs):
        start = time.perf_counter()
        render_heatmap(heatmap(found, baseline=found.periods[0]))
        drawn.append(time.perf_counter() - start)
        start = time.perf_counter()
        page = html_report(found, found.periods[0])
        reports.append(time.perf_counter() - start)
    report(f"trends heatmap PNG (target <= 1 s): {groups}", drawn)
    report(f"trends HTML report (target <= 3 s): {groups}, {len(page) / 1e6:.1f} MB", reports)


def bench_feedback(db: Database, runs: int) -> None:
    """The offline feedback at the end of an exercise, as `coach reflect` and Slack give it: the person's latest
    self-ratings read, passages searched for what they wrote (the real index, when one is built), the text
    filled in and the recap. Every bundled exercise, answered with sentences of a realistic length."""
    from bot.coaching.assessments import latest_ratings
    from bot.coaching.exercises import exercise_library
    from bot.coaching.reflection import answer_step, finished_feedback, start_or_resume_exercise

    try:
        from bot.bootstrap import retriever

        search = retriever()
        search.search("warm-up: load the model and the index", k=3)
        where = "with the search index"
    except Exception as exc:  # no index built: the figure is for the feedback without passages, and says so
        search, where = None, f"NO index ({type(exc).__name__}): run `coach ingest` for the real figure"
    library = exercise_library()
    names = {a.id: a.name for a in attributes().attributes}
    submit_assessment(db.uow(), "officer", dict.fromkeys(attributes().ids, 3))
    finished = []
    for exercise in library:
        progress = start_or_resume_exercise(db.uow(), library, "officer", exercise.id)
        for n, step in enumerate(exercise.steps):
            answer = 3 if step.kind == "rating" else (
                f"The district council's housing team, step {n}: they want fewer emergency placements and would "
                "trade staff time on the joint bid for shared data on families at risk of eviction.")
            progress = answer_step(db.uow(), library, "officer", progress.session_id, answer)
        finished.append(progress)
    times: list[float] = []
    cpu_times: list[float] = []
    for run in range(runs):
        for done in finished:  # new words each run: no query is ever searched twice (no cache helps)
            progress = replace(done, answers=tuple(replace(a, answer=f"{a.answer} (week {run})") if a.answer else a
                                                   for a in done.answers))
            if search is not None:
                search.clear_query_cache()  # answers alike but for the step number can make the same search terms
            start, cpu = time.perf_counter(), time.process_time()
            finished_feedback(progress, search, None, earlier_ratings=latest_ratings(db.uow(), "officer"),
                              attribute_names=names)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu)
    report(f"exercise feedback offline, {len(finished)} exercises ({db.backend})", times)
    report("    the same, CPU time of this process (what a loaded machine adds is waiting)", cpu_times)
    print(f"    ({where}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="Benchmark this database (default: SQLite in a temporary directory).")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--run-due-users", type=int, default=2000)
    parser.add_argument("--trend-users", type=int, default=10_000)
    parser.add_argument("--trend-weeks", type=int, default=104)
    parser.add_argument("--trend-every", type=int, default=9, help="Each person rates every N weeks.")
    parser.add_argument("--keep", metavar="NAME",
                        help="Seed this SQLite file (or, with --url, this PostgreSQL schema) once and reuse it on "
                             "later runs instead of a fresh database that is dropped (meant for --only trends).")
    parser.add_argument("--only", choices=["submissions", "due", "run-due", "history", "feedback", "trends"],
                        help="Run one benchmark.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        benches = {"submissions": lambda db: bench_submissions(db, args.submissions),
                   "due": lambda db: bench_due(db, args.users, args.runs),
                   "run-due": lambda db: bench_run_due(db, args.run_due_users),
                   "history": lambda db: bench_history(db, args.runs * 2),
                   "feedback": lambda db: bench_feedback(db, args.runs),
                   "trends": lambda db: bench_trends(db, args.trend_users, args.trend_weeks, args.trend_every,
                                                     args.runs)}
        for name, bench in benches.items():
            if args.only and name != args.only:
                continue
            with fresh_database(args.url, Path(workdir), args.keep) as db:
                bench(db)


if __name__ == "__main__":
    main()
