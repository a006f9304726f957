"""Two workers on one PostgreSQL and one Chroma server under signed Slack deliveries with duplicates, and faults.
Prints figures; asserts nothing. Everything listens on 127.0.0.1 and is stopped at the end.

    .venv/bin/python benchmarks/bench_scaleout.py --database-url postgresql+psycopg://postgres@127.0.0.1/test \
        [--deliveries 500] [--duplicates 0.2] [--questions 50] [--kill] [--stop-chroma]
    .venv/bin/python benchmarks/bench_scaleout.py --restart-postgres [--outage 5]
    .venv/bin/python benchmarks/bench_scaleout.py --database-url … --model-fault {error,hang} [--model-timeout 5]

Setup: a private schema on that PostgreSQL (dropped at the end), `chroma run` with the guidance ingested by
`coach ingest`, the fake Slack Web API in its own process, and two `coach serve --http` processes.
Deliveries: self-assessment form submissions (distinct view ids) and DM questions (distinct event ids); the
duplicates repeat random ones (events with X-Slack-Retry-Num, forms with the same view id), all shuffled and sent
concurrently, alternately to each worker. A delivery refused because its worker is dead is sent to the other one,
as Slack retries it. --kill SIGKILLs the worker holding the scheduler lease halfway; --stop-chroma stops the
Chroma server from a fifth of the run to four fifths. Then it counts, in the database and at the fake Slack API,
what was handled.

--restart-postgres runs on a PostgreSQL cluster of the benchmark's own (tests/deployment/throwaway_postgres.py: a
temporary directory, a free port on 127.0.0.1, trust authentication; as the postgres user when run as root), never
the shared server, and restarts it (stop -m fast, --outage seconds, start) once a third of the deliveries are
acked; it reports what the deliveries sent meanwhile got, rows stored and stored twice, and when service resumed.
--model-fault points the workers at the fake OpenAI-compatible server (tests/llm/fake_openai.py, in this process)
answering 500 to every call (`error`) or never answering (`hang`) until half the questions are answered, then
answering normally; it reports answer times (the workers' own, from their logs, and from sending to the finished
stream) against the timeout + 1 s, and the circuit breaker's openings and closings counted at each worker's
/metrics. The fake's normal reply does not pass the answer checks, so answers after recovery are fallbacks too,
but with the model answering (counted apart).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bot.coaching.attributes import attributes  # noqa: E402
from bot.slack.storage_outage import TRY_AGAIN  # noqa: E402
from tests.deployment.chroma_server import ChromaServer  # noqa: E402
from tests.deployment.throwaway_postgres import ThrowawayPostgres  # noqa: E402
from tests.llm.fake_openai import FakeOpenAI, Reply  # noqa: E402
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
    parser.add_argument("--database-url", help="PostgreSQL; a private schema is made and dropped "
                        "(not with --restart-postgres, which makes its own cluster)")
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--questions", type=int, default=50, help="how many distinct deliveries are DM questions")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the scheduler's worker halfway")
    parser.add_argument("--stop-chroma", action="store_true", help="stop the Chroma server for the middle 3/5")
    parser.add_argument("--restart-postgres", action="store_true",
                        help="run on a throwaway PostgreSQL cluster and restart it after a third of the deliveries")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--model-fault", choices=["error", "hang"],
                        help="a model endpoint that fails every call (500) or never answers, until half-way")
    parser.add_argument("--model-timeout", type=float, default=5.0, help="COACH_LLM_TIMEOUT for --model-fault")
    parser.add_argument("--logs", type=Path, help="copy the workers' logs into this directory at the end")
    parser.add_argument("--breaker-reset", type=float, default=5.0, help="COACH_LLM_BREAKER_RESET for --model-fault")
    args = parser.parse_args()
    if not args.restart_postgres and not args.database_url:
        parser.error("--database-url is required (or --restart-postgres, which makes its own PostgreSQL)")
    faults = Faults(args)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    duplicates = round(args.deliveries * args.duplicates)
    distinct = args.deliveries - duplicates
    schema = f"coach_bench_{uuid.uuid4().hex[:10]}"
    if faults.postgres is not None:
        args.database_url = faults.postgres.url
    admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
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
                workers.append(ServeProcess(api, root / f"worker{n}", url, root / f"worker{n}.log",
                                            env_overrides=faults.worker_env()))
            for worker in workers:
                worker.wait_ready(timeout=600)  # a busy machine starts them slowly
            run(args, api, workers, chroma, url, distinct, duplicates, faults)
        finally:
            for worker in workers:
                worker.stop()
            faults.keep_logs(workers)
            chroma.stop()
            api.stop()
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                admin.dispose()
            finally:
                faults.close()  # the throwaway cluster goes even when the schema could not be dropped


def run(args: argparse.Namespace, api: FakeSlackProcess, workers: list[ServeProcess], chroma: ChromaServer,
        url: str, distinct: int, duplicates: int, faults: Faults | None = None) -> None:
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
    engine = create_engine(url, pool_pre_ping=True)  # pre-ping: the connections outlive a database restart
    sent: list[tuple[int, float, int, float]] = []  # (delivery, wall clock sent, HTTP status, ack seconds)

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
            start, wall = time.perf_counter(), time.time()
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
                sent.append((i, wall, reply.status, time.perf_counter() - start))
                if reply.status == 200:
                    acks.append(time.perf_counter() - start)
                else:
                    refused += 1
            return

    kill_at = len(plan) // 2 if args.kill else -1
    chroma_off, chroma_on = (len(plan) // 5, 4 * len(plan) // 5) if args.stop_chroma else (-1, -1)
    started = time.perf_counter()
    if faults is not None:
        faults.during(len(plan), lambda: len(acks) + refused, workers, api)
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
    if faults is not None:
        faults.settle()  # the database is back before it is counted
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
    if faults is not None:
        faults.report(api.state(), sent, question_ids, engine, [w for n, w in enumerate(workers) if n not in dead])


ANSWER_LOG = re.compile(r"answer mode=(?P<mode>\w+) latency_ms=(?P<ms>\d+) model_ms=(?P<model>\S+)")
FAULTY_MODEL = {"error": Reply(status=500), "hang": Reply(delay=3600)}  # `hang`: no byte until the fake stops


def metric_total(workers: list[ServeProcess], name: str) -> Counter[str]:
    """`name`'s samples added up over the workers' /metrics pages, by label set."""
    totals: Counter[str] = Counter()
    for worker in workers:
        with urllib.request.urlopen(worker.url.replace("/slack/events", "/metrics"), timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith(name):
                    labels, value = line.rsplit(" ", 1)
                    totals[labels.removeprefix(name)] += int(float(value))
    return totals


def database_ready(worker: ServeProcess) -> bool:
    try:
        with urllib.request.urlopen(worker.url.replace("/slack/events", "/readyz"), timeout=5) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:  # 503 when any check fails: read which
        body = exc.read()
    except OSError:
        return False
    return bool(json.loads(body)["checks"]["database"]["ok"])


def question_ts(i: int) -> str:
    return f"1700300{i:03d}.000100"


class Faults:
    """--restart-postgres and --model-fault: what they start, when they strike during the run, what they report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.postgres: ThrowawayPostgres | None = None
        self.model: FakeOpenAI | None = None
        self.at: dict[str, float] = {}  # wall clock of each fault event
        self._threads: list[threading.Thread] = []
        if args.restart_postgres:
            self.postgres = ThrowawayPostgres().start()
            print(f"own PostgreSQL cluster ({self.postgres.bin}) on 127.0.0.1:{self.postgres.port}"
                  + (", run as the postgres user (runuser -u postgres --) because this runs as root"
                     if self.postgres.as_root else ""))
        if args.model_fault:
            self.model = FakeOpenAI().__enter__()
            self.model.default = FAULTY_MODEL[args.model_fault]

    def worker_env(self) -> dict[str, str | None] | None:
        if self.model is None:
            return None
        return {"OPENAI_BASE_URL": self.model.base_url, "OPENAI_API_KEY": "sk-bench",
                "COACH_LLM_TIMEOUT": str(self.args.model_timeout),
                "COACH_LLM_BREAKER_RESET": str(self.args.breaker_reset)}

    def during(self, total: int, done: Callable[[], int], workers: list[ServeProcess], api: Any) -> None:
        """Start the faults' timelines beside the run; `done()` is how many deliveries have had a reply."""
        def after(count: int) -> None:
            deadline = time.monotonic() + 600
            while done() < count and time.monotonic() < deadline:
                time.sleep(0.05)

        def restart_postgres(postgres: ThrowawayPostgres) -> None:
            after(total // 3)
            self.at["stop"] = time.time()
            postgres.stop("fast")
            print(f"PostgreSQL stopped (-m fast) after {done()} replies")
            time.sleep(self.args.outage)
            postgres.start()
            self.at["up"] = time.time()
            print(f"PostgreSQL started again after {self.at['up'] - self.at['stop']:.1f} s")
            waiting = set(range(len(workers)))
            deadline = time.monotonic() + 120
            while waiting and time.monotonic() < deadline:
                for n in sorted(waiting):
                    if workers[n].process.poll() is not None or database_ready(workers[n]):
                        self.at[f"ready{n}"] = time.time()
                        waiting.discard(n)
                time.sleep(0.1)

        def answers() -> int:
            return sum(1 for c in api.state()["calls"] if c["method"] == "chat.stopStream")

        def recover_model(model: FakeOpenAI) -> None:
            self.at["fault"] = time.time()
            deadline = time.monotonic() + 600  # answers lag far behind acks: half of them under the fault
            while answers() < self.args.questions // 2 and time.monotonic() < deadline:
                time.sleep(0.5)
            model.default = Reply()
            self.at["recovered"] = time.time()
            print(f"model endpoint answering again after {answers()} answers")

        if self.postgres is not None:
            self._threads.append(threading.Thread(target=restart_postgres, args=(self.postgres,), daemon=True))
        if self.model is not None:
            self._threads.append(threading.Thread(target=recover_model, args=(self.model,), daemon=True))
        for thread in self._threads:
            thread.start()

    def settle(self) -> None:
        for thread in self._threads:
            thread.join(timeout=180)

    def report(self, slack: dict, sent: list[tuple[int, float, int, float]], question_ids: set[int],
               engine: Any, workers: list[ServeProcess]) -> None:
        self.settle()
        first_sent: dict[int, float] = {}
        for i, wall, _status, _ack in sorted(sent, key=lambda s: s[1]):
            first_sent.setdefault(i, wall)
        threads = slack["stream_threads"]
        finished: dict[str, float] = {}  # question ts -> when its answer was finished (chat.stopStream)
        told_again: dict[str, float] = {}  # question ts -> when a "try again" reply was posted in its thread
        form_not_saved = 0
        for call in slack["calls"]:
            args = call["args"]
            if call["method"] == "chat.stopStream" and (t := threads.get(str(args.get("ts")))):
                finished.setdefault(t, call["at"])
            elif call["method"] == "chat.postMessage" and "was not saved" in json.dumps(args):
                form_not_saved += 1
            elif call["method"] == "chat.postMessage" and args.get("thread_ts") and TRY_AGAIN in json.dumps(args):
                told_again.setdefault(str(args["thread_ts"]), call["at"])
        if self.postgres is not None:
            self._report_restart(sent, question_ids, finished, told_again, form_not_saved, engine, workers)
        if self.model is not None:
            self._report_model(sent, first_sent, question_ids, finished, workers)

    def _report_restart(self, sent: list[tuple[int, float, int, float]], question_ids: set[int],
                        finished: dict[str, float], told_again: dict[str, float], form_not_saved: int,
                        engine: Any, workers: list[ServeProcess]) -> None:
        stop, up = self.at["stop"], self.at["up"]
        during = [(i, status) for i, wall, status, _ack in sent if stop <= wall <= up]
        forms = {i for i, _ in during if i not in question_ids}
        questions = {i for i, _ in during if i in question_ids}
        with engine.connect() as connection:
            keys = {str(k) for k in connection.execute(text("SELECT submission_key FROM submissions")).scalars()}
            created = [c for c in connection.execute(text("SELECT created_at FROM submissions")).scalars()]
        stored_forms = sum(1 for i in forms if f"view:VBENCH{i:05d}" in keys)
        answered = sum(1 for i in questions if question_ts(i) in finished)
        again = sum(1 for i in questions if question_ts(i) in told_again)
        print(f"PostgreSQL down {up - stop:.1f} s: {len(during)} deliveries sent meanwhile "
              f"({Counter(s for _, s in during)} HTTP statuses), {len(forms)} distinct forms and "
              f"{len(questions)} distinct questions")
        print(f"  forms sent during the outage: stored {stored_forms} of {len(forms)}; 'was not saved' DMs "
              f"over the whole run {form_not_saved}")
        silent = sum(1 for i in questions if question_ts(i) not in finished and question_ts(i) not in told_again)
        print(f"  questions sent during the outage: answered {answered}, told to try again {again}, "
              f"neither {silent}")
        print(f"  questions told to try again over the whole run {len(told_again)}")
        ready = [self.at[k] - up for k in sorted(self.at) if k.startswith("ready")]
        after_up = sorted(c.replace(tzinfo=c.tzinfo or UTC).timestamp() for c in created
                          if c.replace(tzinfo=c.tzinfo or UTC).timestamp() >= up)
        print("  service resumed: /readyz database ok on the workers "
              + ", ".join(f"{r:.1f} s" for r in ready) + " after PostgreSQL was back; first delivery of the run "
              + "stored " + (f"{after_up[0] - up:.1f} s after" if after_up else "none (all handled in the outage)"))
        probe_seconds = self._probe(engine, workers)
        print(f"  5 forms sent after the run, with the database back: all stored {probe_seconds:.1f} s later")

    def _report_model(self, sent: list[tuple[int, float, int, float]], first_sent: dict[int, float],
                      question_ids: set[int], finished: dict[str, float], workers: list[ServeProcess]) -> None:
        assert self.model is not None
        budget = self.args.model_timeout + 1
        answer_seconds = [finished[question_ts(i)] - first_sent[i] for i in question_ids if question_ts(i) in finished]
        faulty = [i for i in question_ids if first_sent[i] < self.at["recovered"]]
        acks = [ack for i, _w, status, ack in sent if status == 200 and i in question_ids]
        print(f"model endpoint {self.args.model_fault} until {self.at['recovered'] - self.at['fault']:.1f} s into "
              f"the run (timeout {self.args.model_timeout} s, breaker reset {self.args.breaker_reset} s); "
              f"{len(self.model.chat_requests())} chat calls reached it")
        print(f"  questions {len(question_ids)} ({len(faulty)} sent while it failed): answered "
              f"{len(answer_seconds)}, over timeout + 1 s {sum(1 for s in answer_seconds if s > budget)}")
        print(f"  question ack p50 {pct(acks, 0.5) * 1000:.0f} ms p99 {pct(acks, 0.99) * 1000:.0f} ms; "
              f"answer posted (send to chat.stopStream) p50 {pct(answer_seconds, 0.5):.2f} s "
              f"p99 {pct(answer_seconds, 0.99):.2f} s max {max(answer_seconds, default=float('nan')):.2f} s")
        print(f"  fallbacks {dict(metric_total(workers, 'coach_fallbacks_total'))}; breaker changes "
              f"{dict(metric_total(workers, 'coach_llm_breaker_changes_total'))}")
        # The workers' own answer times (composition, not the queue before it): the timeout + 1 s budget.
        times: dict[str, list[float]] = {}
        for worker in workers:
            for match in ANSWER_LOG.finditer(worker.log_path.read_text(errors="replace")):
                kind = match["mode"] + (" (model failed)" if match["model"] == "None" and match["mode"] == "fallback"
                                        else "")
                times.setdefault(kind, []).append(int(match["ms"]) / 1000)
        for kind, seconds in sorted(times.items()):
            print(f"  answers {kind}: {len(seconds)}, composed in p50 {pct(seconds, 0.5):.2f} s "
                  f"p99 {pct(seconds, 0.99):.2f} s max {max(seconds):.2f} s, over {budget:.0f} s "
                  f"{sum(1 for t in seconds if t > budget)}")
        # Every question may have been sent (and answered offline) while the breakers were open: ask a few more
        # once the reset has passed, so each breaker has a call to close on.
        time.sleep(self.args.breaker_reset + 1)
        before = len(self.model.chat_requests())
        for n in range(2 * len(workers)):
            event = {"type": "message", "channel": f"D9{n}", "channel_type": "im", "user": f"U9{n}",
                     "text": QUESTIONS[n % len(QUESTIONS)], "ts": f"1700900{n:03d}.000100"}
            SlackSender(workers[n % len(workers)].url, "test-signing-secret").event(event, event_id=f"EvPROBE{n:03d}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(self.model.chat_requests()) < before + 2 * len(workers):
            time.sleep(0.2)
        time.sleep(1)
        print(f"  {2 * len(workers)} questions after the run, once the breaker reset had passed: "
              f"{len(self.model.chat_requests()) - before} chat calls; breaker changes over the whole run "
              f"{dict(metric_total(workers, 'coach_llm_breaker_changes_total'))}")

    @staticmethod
    def _probe(engine: Any, workers: list[ServeProcess]) -> float:
        """Fresh forms once the database is back: how long until every one is stored (nothing restarted)."""
        started = time.perf_counter()
        for n in range(5):
            user, view = assessment(900_000 + n)
            SlackSender(workers[n % len(workers)].url, "test-signing-secret").view_submission(view, user=user)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(text("SELECT count(*) FROM submissions WHERE submission_key LIKE "
                                           "'view:VBENCH9%'")).scalar_one() >= 5:
                    return time.perf_counter() - started
            time.sleep(0.2)
        return float("nan")

    def keep_logs(self, workers: list[ServeProcess]) -> None:
        if self.args.logs is None:
            return
        self.args.logs.mkdir(parents=True, exist_ok=True)
        for n, worker in enumerate(workers):
            shutil.copy(worker.log_path, self.args.logs / f"worker{n}.log")

    def close(self) -> None:
        if self.model is not None:
            self.model.__exit__(None, None, None)
        if self.postgres is not None:
            self.postgres.destroy()


if __name__ == "__main__":
    main()
