"""Programme-data benchmarks: `coach import ratings` and `coach demo-data`. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_programme_data.py [--url postgresql+psycopg://...] [--rows 100000]

Prints: a CSV of --rows ratings checked and imported (first time), the same file again (adds nothing), and
the default demo programme (300 people, 18 months) generated and loaded. Each against a fresh SQLite file
(or a fresh PostgreSQL schema with --url).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_coaching import fresh_database  # noqa: E402
from bot.coaching.attributes import attributes  # noqa: E402
from bot.coaching.demo_data import generate, load_demo  # noqa: E402
from bot.coaching.exercises import exercise_library  # noqa: E402
from bot.coaching.rating_import import import_ratings  # noqa: E402

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def csv_of(rows: int) -> bytes:
    ids = attributes().ids
    lines = ["person,cohort,attribute,rating,date"]
    for i in range(rows):
        person, rest = divmod(i, len(ids) * 8)  # 8 days of 9 ratings per person
        day = date(2025, 1, 1) + timedelta(days=30 * (rest // len(ids)))
        lines.append(f"person-{person}@example.gov.uk,Cohort {person % 20},{ids[rest % len(ids)]},"
                     f"{1 + (i * 7) % 5},{day.isoformat()}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    data = csv_of(args.rows)
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.url, Path(tmp)) as db:
        started, cpu = time.perf_counter(), time.process_time()
        report = import_ratings(db.uow(), data, actor="operator:bench", secret=b"bench-secret-0123456789", now=NOW)
        first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        again = import_ratings(db.uow(), data, actor="operator:bench", secret=b"bench-secret-0123456789", now=NOW)
        second, second_cpu = time.perf_counter() - started, time.process_time() - cpu
        # CPU time is this process's own; wall time also counts the database server and other work on the machine
        print(f"import {args.rows:,} rows ({len(data) / 1e6:.1f} MB, {report.people:,} people): {first:.2f} s "
              f"({first_cpu:.2f} s CPU); again (adds {again.added}): {second:.2f} s ({second_cpu:.2f} s CPU)")
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.url, Path(tmp)) as db:
        started = time.perf_counter()
        programme = generate(exercise_library(), until=NOW.date())
        made = time.perf_counter() - started
        loaded = load_demo(db.uow(), programme, actor="operator:bench", now=NOW)
        print(f"demo-data: {loaded.people} people, {loaded.ratings:,} ratings, {loaded.sessions} exercises: generated "
              f"in {made:.2f} s, loaded in {time.perf_counter() - started - made:.2f} s")


if __name__ == "__main__":
    main()
