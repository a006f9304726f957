"""Two workers on one PostgreSQL and one Chroma server under signed Slack deliveries with duplicates, and faults.
Prints figures; asserts nothing. Everything listens on 127.0.0.1 and is stopped at the end.

    .venv/bin/python benchmarks/bench_scaleout.py --database-url postgresql+psycopg://postgres@127.0.0.1/test \
        [--deliveries 500] [--duplicates 0.2] [--questions 50] [--kill] [--stop-chroma]

Setup: a private schema on that PostgreSQL (dropped at the end), `chroma run` with the guidance ingested by
`coach ingest`, the fake Slack Web API in its own process, and two `coach serve --http` processes.
Deliveries: self-assessment form submissions (distinct view ids) and DM questions (distinct event ids); the
duplicates repeat random ones (events with X-Slack-Retry-Num, forms with the same view id), all shuffled and sent
concurrently, alternately to each worker. A delivery refused because its worker is dead is sent to the other one,
as Slack retries it. --kill SIGKILLs the worker holding the scheduler lease halfway; --stop-chroma stops the
Chroma server from a fifth of the run to four fifths. Then it counts, in the database and at the fake Slack API,
what was handled.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bot.coaching.attributes import attributes  # noqa: E402
from tests.deployment.chroma_server import ChromaServer  # noqa: E402
from tests.slack.processes import ServeProcess  # noqa: E402
from tests.slack.signed import SlackSender  # noqa: E402
from tests.slack.test_assessment import submitted_view  # noqa: E402
from tests.storage.databases import pg_schema_url  # noqa: E402

QUESTIONS = ["How can I lead partners I have no authority over?", "What makes a partnership add value?",
             "How do I build trust with the voluntary sector?", "How do I keep the board focused on outcomes?"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


class FakeSlackProcess:
    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.slack.fake_slack_api"], cwd=ROOT,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def state(self) -> dict:
        with urllib.request.urlopen(self.url.removesuffix("api/") + "_calls", timeout=30) as response:
            return dict(json.loads(response.read()))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def assessment(i: int) -> tuple[str, dict]:
    """The i-th distinct self-assessment form: who submits it, and the submitted view (its id is the key)."""
    return f"U{i % 60}", submitted_view({attributes().ids[i % 9]: 1 + i % 5}, view_id=f"VBENCH{i:05d}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="PostgreSQL; a private schema is made and dropped")
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--questions", type=int, default=50, help="how many distinct deliveries are DM questions")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the scheduler's worker halfway")
    parser.add_argument("--stop-chroma", action="store_true", help="stop the Chroma server for the middle 3/5")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    duplicates = round(args.deliveries * args.duplicates)
    distinct = args.deliveries - duplicates
    schema = f"coach_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = pg_schema_url(args.database_url, schema)
    api = FakeSlackProcess()
    workers: list[ServeProcess] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        chroma = ChromaServer(root / "chroma").start()
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "SLACK_", "OPENAI_"))}
            env.update(COACH_CHROMA_URL=chroma.url, COACH_DATA_DIR=str(root / "ingest"))
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bot", "ingest"], env=env, check=True, capture_output=True,
                           cwd=ROOT, timeout=900)
            print(f"setup: coach ingest to the Chroma server {time.perf_counter() - t0:.1f} s")
            os.environ["COACH_CHROMA_URL"] = chroma.url
            for n in range(2):
                workers.append(ServeProcess(api, root / f"worker{n}", url, root / f"worker{n}.log"))
            for worker in workers:
                worker.wait_ready()
            run(args, api, workers, chroma, url, distinct, duplicates)
        finally:
            for worker in workers:
                worker.stop()
            chroma.stop()
            api.stop()
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


def run(args: argparse.Namespace, api: FakeSlackProcess, workers: list[ServeProcess], chroma: ChromaServer,
        url: str, distinct: int, duplicates: int) -> None:
    rng = random.Random(14)
    question_ids = set(rng.sample(range(distinct), args.questions))
    plan = list(range(distinct)) + [rng.randrange(distinct) for _ in range(duplicates)]
    rng.shuffle(plan)
    seen: Counter[int] = Counter()
    senders = [SlackSender(w.url, "test-signing-secret") for w in workers]
    dead: set[int] = set()
    acks: list[float] = []
    resent = refused = 0
    lock = threading.Lock()
    engine = create_engine(url)

    def lease_holder() -> str:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT holder FROM leases")).first()
        return str(row[0]).split(":")[1] if row else "none"

    holder_before = lease_holder()

    def send(position: int) -> None:
        nonlocal resent, refused
        i = plan[position]
        with lock:
            seen[i] += 1
            retry = seen[i] - 1
        target = position % 2
        for _attempt in range(3):
            if target in dead:
                target = 1 - target
            start = time.perf_counter()
            try:
                if i in question_ids:
                    event = {"type": "message", "channel": f"D{i}", "channel_type": "im", "user": f"U{i % 60}",
                             "text": QUESTIONS[i % len(QUESTIONS)], "ts": f"1700300{i:03d}.000100"}
                    reply = senders[target].event(event, event_id=f"EvBENCH{i:05d}", retry_num=retry or None)
                else:
                    user, view = assessment(i)
                    reply = senders[target].view_submission(view, user=user)
            except OSError:  # the worker is gone: Slack retries the delivery, the balancer sends it elsewhere
                with lock:
                    resent += 1
                    dead.add(target)
                retry += 1
                continue
            with lock:
                if reply.status == 200:
                    acks.append(time.perf_counter() - start)
                else:
                    refused += 1
            return

    kill_at = len(plan) // 2 if args.kill else -1
    chroma_off, chroma_on = (len(plan) // 5, 4 * len(plan) // 5) if args.stop_chroma else (-1, -1)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for position in range(len(plan)):
            if position == kill_at:  # the worker that runs the scheduler, so that the lease has to move
                victim = next((w for w in workers if str(w.process.pid) == lease_holder()), workers[0])
                victim.process.send_signal(signal.SIGKILL)
                dead.add(workers.index(victim))
                print(f"SIGKILL worker {workers.index(victim)} (pid {victim.process.pid}, the scheduler lease holder "
                      f"{lease_holder()}) after {position} deliveries")
            if position == chroma_off:
                chroma.stop()
                print(f"Chroma server stopped after {position} deliveries")
            if position == chroma_on:
                chroma.start()
                print(f"Chroma server started again after {position} deliveries")
            pool.submit(send, position)
    sending = time.perf_counter() - started
    assessments = distinct - len(question_ids)
    deadline = time.monotonic() + 600

    def stored() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM submissions")).scalar_one())

    expected = {f"1700300{i:03d}.000100" for i in question_ids}

    def answered() -> Counter[str]:
        """Finished answers (chat.stopStream) per question thread."""
        state = api.state()
        threads = state["stream_threads"]
        return Counter(t for c in state["calls"] if c["method"] == "chat.stopStream"
                       and (t := threads.get(str(c["args"].get("ts")))) in expected)

    progress, still_since = (-1, -1), time.monotonic()
    while (stored() < assessments or len(answered()) < len(question_ids)) and time.monotonic() < deadline:
        now = (stored(), len(answered()))
        if now != progress:
            progress, still_since = now, time.monotonic()
        elif time.monotonic() - still_since > 60:  # nothing more is coming: what is missing was lost
            break
        time.sleep(1)
    if args.kill:
        time.sleep(60)  # the lease expires (40 s) and the survivor takes it (its next 10 s tick)
    with engine.connect() as connection:
        doubled_rows = int(connection.execute(text(
            "SELECT count(*) FROM (SELECT user_id, submission_key FROM submissions GROUP BY user_id, submission_key "
            "HAVING count(*) > 1) d")).scalar_one())
    answers = answered()
    print(f"deliveries {len(plan)} ({distinct} distinct, {duplicates} duplicates; {assessments} self-assessment "
          f"forms, {len(question_ids)} DM questions), sent in {sending:.1f} s by 32 threads to 2 workers")
    print(f"acked {len(acks)}, refused {refused}, resent to the other worker after a refused connection {resent}")
    print(f"ack latency: p50 {pct(acks, 0.5) * 1000:.1f} ms  p99 {pct(acks, 0.99) * 1000:.1f} ms  "
          f"max {max(acks) * 1000:.1f} ms")
    print(f"self-assessments stored {stored()} of {assessments} (lost {assessments - stored()}), "
          f"stored twice {doubled_rows}")
    print(f"questions answered {len(answers)} of {len(question_ids)} (unanswered {len(question_ids) - len(answers)}), "
          f"answered more than once {sum(1 for n in answers.values() if n > 1)}")
    print(f"scheduler lease holder: pid {holder_before} before, pid {lease_holder()} at the end")
    if args.stop_chroma:
        alive = next(w for n, w in enumerate(workers) if n not in dead)
        with urllib.request.urlopen(alive.url.replace("/slack/events", "/metrics"), timeout=10) as response:
            lines = [line for line in response.read().decode().splitlines()
                     if line.startswith("coach_fallbacks_total")]
        print(f"worker {workers.index(alive)} fallbacks: " + ("; ".join(lines) or "none"))


if __name__ == "__main__":
    main()
