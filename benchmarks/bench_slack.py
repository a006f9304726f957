"""Slack app benchmarks over real HTTP. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_slack.py [--events 50] [--sequential 20] [--workspaces N]

Starts `coach serve --http` as a child process (offline answerer, SQLite database) against a local fake Slack
Web API, then measures:
  - HTTP ack latency of --events concurrent, correctly signed event deliveries (p50/p95/p99/max);
  - time from sending an event to the answer being posted (chat.stopStream at the fake Slack API), for the
    concurrent burst and for --sequential questions sent one at a time (p50/p95);
  - time from a `/coach assess` command to its `views.open` at the fake Slack API while a burst of --events
    questions is being answered (Slack expires the trigger after 3 s; the fake refuses it then), p50/p95/max;
  - peak RSS of the app process (sampled every 50 ms).
With --workspaces N the app installs in many workspaces (SLACK_CLIENT_ID, tokens in the database): N
installations are stored before it starts, and the events come from the N workspaces in turn, so every request
is authorized from the installation store.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from tests.slack.processes import ServeProcess  # noqa: E402
from tests.slack.signed import SlackSender  # noqa: E402

QUESTIONS = [
    "How do I stop our LSP being seen as just the council's show?",
    "How can I lead partners I have no authority over?",
    "What makes a partnership add value?",
    "How do I build trust with the voluntary sector?",
    "What does accountability mean when we share leadership?",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    return (f"p50 {pct(values, 0.5) * 1000:7.1f} ms  p95 {pct(values, 0.95) * 1000:7.1f} ms  "
            f"p99 {pct(values, 0.99) * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms  (n={len(values)})")


class PeakRSS:
    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rss = self.process.memory_info().rss + sum(c.memory_info().rss for c in self.process.children(True))
                self.peak = max(self.peak, rss)
            except psutil.Error:
                return
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def ingest(data_dir: Path) -> None:
    from bot.config import Settings
    from bot.paths import knowledge_dir
    from bot.retrieval.embeddings import build_embedder
    from bot.retrieval.ingest import ingest as run_ingest

    settings = Settings(data_dir=data_dir)
    run_ingest([knowledge_dir()], settings.index_dir, build_embedder(settings))


class RemoteFakeSlack:
    """The fake Slack Web API in its own process, so its work does not skew the client's timings."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.slack.fake_slack_api"], cwd=ROOT,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def answered_at(self) -> dict[str, float]:
        base = self.url.removesuffix("api/")
        with urllib.request.urlopen(base + "_calls", timeout=30) as response:
            state = json.loads(response.read())
        threads = state["stream_threads"]
        return {threads.get(str(c["args"].get("ts")), "?"): c["at"] for c in state["calls"]
                if c["method"] == "chat.stopStream"}

    def calls(self, method: str) -> list[dict]:
        base = self.url.removesuffix("api/")
        with urllib.request.urlopen(base + "_calls", timeout=30) as response:
            return [c for c in json.loads(response.read())["calls"] if c["method"] == method]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def answered_after(api: RemoteFakeSlack, sent: dict[str, float], timeout: float = 300) -> list[float]:
    """Seconds from each event's sending to its answer being finished (chat.stopStream)."""
    deadline = time.monotonic() + timeout
    while len(set(api.answered_at()) & set(sent)) < len(sent) and time.monotonic() < deadline:
        time.sleep(0.1)
    done = api.answered_at()
    return [done[ts] - start for ts, start in sent.items() if ts in done]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--sequential", type=int, default=20)
    parser.add_argument("--workspaces", type=int, default=0, help="installs in this many workspaces (OAuth mode)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    api = RemoteFakeSlack()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        ingest(root / "data")
        print(f"ingest (setup): {time.perf_counter() - t0:.1f} s")
        database_url = f"sqlite:///{root / 'coach.db'}"
        overrides = install_workspaces(database_url, args.workspaces) if args.workspaces else None
        teams = [f"T{i + 1}" for i in range(max(1, args.workspaces))]
        worker = ServeProcess(api, root / "data", database_url, root / "serve.log", overrides)
        rss = PeakRSS(worker.process.pid)
        t0 = time.perf_counter()
        worker.wait_ready()
        print(f"coach serve ready in {time.perf_counter() - t0:.1f} s")
        sender = SlackSender(worker.url, "test-signing-secret")
        try:
            # Warm-up: the first answer loads lazily built pieces.
            warm = time.time()
            answered_after(api, {"1699999999.000100": warm} if sender.event(
                _dm(QUESTIONS[0], "1699999999.000100"), team=teams[0]).status == 200 else {}, timeout=120)
            print(f"first answer (warm-up): {time.time() - warm:.2f} s")

            sent: dict[str, float] = {}
            acks: list[float] = []
            lock = threading.Lock()

            def deliver(i: int) -> None:
                ts = f"1700100{i:03d}.000100"
                start = time.time()
                reply = sender.event(_dm(QUESTIONS[i % len(QUESTIONS)], ts), team=teams[i % len(teams)])
                elapsed = time.time() - start
                with lock:
                    sent[ts] = start
                    acks.append(elapsed)
                assert reply.status == 200, reply

            with ThreadPoolExecutor(max_workers=args.events) as pool:
                list(pool.map(deliver, range(args.events)))
            print(f"HTTP ack, {args.events} concurrent signed events:  {ms(acks)}")
            burst = answered_after(api, sent)
            print(f"answer posted after event, same burst:        {ms(burst)}")

            forms_under_load(api, sender, args.events)

            sequential: list[float] = []
            for i in range(args.sequential):
                ts = f"1700200{i:03d}.000100"
                start = time.time()
                sender.event(_dm(QUESTIONS[i % len(QUESTIONS)], ts), team=teams[i % len(teams)])
                sequential += answered_after(api, {ts: start}, timeout=120)
            print(f"answer posted after event, one at a time:     {ms(sequential)}")
        finally:
            worker.stop()
            peak = rss.stop()
            api.stop()
        print(f"peak RSS of the app process: {peak / 2**20:.0f} MiB")


def install_workspaces(database_url: str, count: int) -> dict[str, str | None]:
    """`count` workspaces' installations saved in the database (as the OAuth callback saves them), and the
    environment that serves many workspaces."""
    from slack_sdk.oauth.installation_store import Installation

    from bot.config import Settings
    from bot.slack.credentials import slack_credentials
    from bot.slack.installations import installation_store
    from bot.storage import connect
    from tests.slack.fake_slack_api import CLIENT_ID, CLIENT_SECRET

    env: dict[str, str | None] = {"SLACK_BOT_TOKEN": None, "SLACK_CLIENT_ID": CLIENT_ID,
                                  "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    settings = Settings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,  # type: ignore[arg-type]
                        slack_signing_secret="test-signing-secret")  # type: ignore[arg-type]
    db = connect(database_url)  # migrates to head
    store = installation_store(slack_credentials(settings), db.engine)
    for i in range(count):
        store.save(Installation(app_id="A1", team_id=f"T{i + 1}", team_name=f"Council {i + 1}",
                                bot_token=f"xoxb-installed-{i + 1}", bot_id="BBOT", bot_user_id="UBOT",
                                bot_scopes="chat:write", user_id="UADMIN"))
    db.close()
    return env


def forms_under_load(api: RemoteFakeSlack, sender: SlackSender, events: int, commands: int = 10) -> None:
    """`/coach assess` sent while `events` questions are being answered: seconds until its views.open."""
    sent: dict[str, float] = {}
    with ThreadPoolExecutor(max_workers=events) as pool:
        for i in range(events):
            pool.submit(sender.event, _dm(QUESTIONS[i % len(QUESTIONS)], f"1700300{i:03d}.000100"))
            sent[f"1700300{i:03d}.000100"] = time.time()
        time.sleep(0.2)  # the burst is acked and its answers are running
        started = time.time()
        for _ in range(commands):
            pool.submit(sender.command, "assess")
            time.sleep(0.1)
    answered_after(api, sent)
    opened = [c for c in api.calls("views.open") if c["at"] >= started]
    delays = [c["at"] - int(str(c["args"]["trigger_id"]).split(".")[1]) / 1000 for c in opened]
    refused = sum(1 for c in opened if not c["ok"])
    if delays:
        print(f"views.open after /coach assess, {events} answers in flight: {ms(delays)}  "
              f"(refused: {refused} of {len(opened)})")
    else:
        print("views.open after /coach assess: no call reached Slack")


def _dm(text: str, ts: str) -> dict:
    return {"type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": text, "ts": ts}


if __name__ == "__main__":
    main()
