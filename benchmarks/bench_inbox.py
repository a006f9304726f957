"""What keeping a delivery in the inbox adds to a Slack ack: `Inbox.keep` (one INSERT ... ON CONFLICT and its
commit) timed on SQLite and, with --database-url, on PostgreSQL. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_inbox.py [--database-url postgresql+psycopg://postgres@127.0.0.1/test] \
        [--deliveries 500] [--threads 1 8]

Each delivery is a DM event body of about 1 KB, as Slack sends it; --threads runs that many acks at once (the
HTTP server's threads), so waiting for SQLite's one writer, or for PostgreSQL's commits, shows. A PostgreSQL run
gets a private schema, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bot.storage import connect  # noqa: E402
from bot.storage.inbox import Inbox  # noqa: E402
from tests.storage.databases import pg_schema_url  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def body(n: int) -> str:
    event = {"type": "message", "channel": "D0123ABCD", "channel_type": "im", "user": "U0123ABCD",
             "text": "How do I keep the board focused on outcomes rather than process? " * 6, "ts": f"1700000000.{n}"}
    return json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": f"Ev{n}",
                       "event_time": 1700000000, "authorizations": [{"team_id": "T1", "user_id": "UBOT"}],
                       "event": event})


def measure(url: str, label: str, deliveries: int, threads: int) -> None:
    db = connect(url)
    inbox = Inbox(db)
    run = uuid.uuid4().hex[:8]

    def keep(n: int) -> float:
        start = time.perf_counter()
        inbox.keep(f"event:Ev{run}-{n}", "event:message", body(n), "slack:T1:U0123ABCD")
        return time.perf_counter() - start

    for n in range(20):  # warm the connection pool
        keep(-n - 1)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        started = time.perf_counter()
        times = list(pool.map(keep, range(deliveries)))
        wall = time.perf_counter() - started
    print(f"{label:<10} threads {threads:>2}: keep p50 {pct(times, 0.5) * 1000:6.2f} ms  p99 "
          f"{pct(times, 0.99) * 1000:6.2f} ms  max {max(times) * 1000:7.2f} ms  ({deliveries / wall:,.0f} a second)")
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="PostgreSQL too; a private schema is made and dropped")
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for threads in args.threads:
            measure(f"sqlite:///{Path(tmp) / f'coach{threads}.db'}", "SQLite", args.deliveries, threads)
    if args.database_url:
        schema = f"coach_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            for threads in args.threads:
                measure(pg_schema_url(args.database_url, schema), "PostgreSQL", args.deliveries, threads)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
