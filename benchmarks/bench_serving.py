"""The serving path on ONNX Runtime against the old one on PyTorch, in one paired run. Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/bench_serving.py [--runs 5] [--questions 20]

One index is built once; then each round runs both runtimes (COACH_LOCAL_RUNTIME=torch, the old path, and
onnx, the new one), alternating which goes first, and measures for each:
  - cold `coach ask` as a whole process: wall time and peak RSS;
  - warm `search` p50/p95 over the gold questions, query vector not cached (in a child process);
  - a serving worker, `coach serve --http` against the local fake Slack API: --questions direct messages one
    at a time after a warm-up answer, time to the answer posted, and the worker's peak RSS.
Medians over the rounds are printed per runtime, with the ONNX/PyTorch ratio of the cold start.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_slack import QUESTIONS, PeakRSS, RemoteFakeSlack, _dm, answered_after  # noqa: E402

RUNTIMES = ("torch", "onnx")
ASK = "How do we stop the council dominating our partnership?"

WARM_SEARCH = """
import json, time
from bot.bootstrap import build_retriever
from bot.config import Settings
from bot.evaluation.gold import load_gold
retriever = build_retriever(Settings())
gold = load_gold()
questions = [q.question for q in gold.questions] + [q.question for q in gold.out_of_scope]
for q in questions[:5]:
    retriever.search(q, 5)
times = []
for q in questions * 2:
    retriever.clear_query_cache()  # every search pays for embedding its question
    t = time.perf_counter()
    retriever.search(q, 5)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(json.dumps({"p50": times[len(times) // 2], "p95": times[round(0.95 * (len(times) - 1))], "n": len(times)}))
"""


def env_for(runtime: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "COACH_LOCAL_RUNTIME": runtime, "COACH_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}


def cold_ask(runtime: str, data_dir: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one whole `coach ask` process."""
    t = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot", "ask", ASK], env=env_for(runtime, data_dir), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - t
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"coach ask ({runtime}) failed: {process.stderr.read() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def warm_search(runtime: str, data_dir: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", WARM_SEARCH], env=env_for(runtime, data_dir), cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def serving_worker(runtime: str, data_dir: Path, root: Path, questions: int) -> tuple[float, float, float]:
    """Seconds to ready, median seconds to an answer posted, peak RSS (MiB) of one `coach serve` worker."""
    from tests.slack.processes import ServeProcess
    from tests.slack.signed import SlackSender

    api = RemoteFakeSlack()
    previous = os.environ.get("COACH_LOCAL_RUNTIME")
    os.environ["COACH_LOCAL_RUNTIME"] = runtime  # ServeProcess passes the environment on
    try:
        t = time.perf_counter()
        worker = ServeProcess(api, data_dir, f"sqlite:///{root / f'coach-{runtime}.db'}", root / f"{runtime}.log")
        rss = PeakRSS(worker.process.pid)
        try:
            worker.wait_ready()
            ready = time.perf_counter() - t
            sender = SlackSender(worker.url, "test-signing-secret")
            answers: list[float] = []
            for i in range(questions + 1):
                ts = f"17003{i:05d}.000100"
                start = time.time()
                sender.event(_dm(QUESTIONS[i % len(QUESTIONS)], ts))
                took = answered_after(api, {ts: start}, timeout=120)
                if i:  # the first answer builds what is built lazily
                    answers += took
        finally:
            worker.stop()
            peak = rss.stop()
    finally:
        api.stop()
        if previous is None:
            os.environ.pop("COACH_LOCAL_RUNTIME", None)
        else:
            os.environ["COACH_LOCAL_RUNTIME"] = previous
    return ready, statistics.median(answers), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; threads per model: {os.environ.get('COACH_TORCH_THREADS', '1')}; "
          f"load average at start: {os.getloadavg()[0]:.2f}")
    from bot.config import Settings
    from bot.retrieval.onnx_embedder import ensure_onnx_model, onnx_model_path, packaged_model_dir

    cache = Settings().model_cache_dir
    fresh = not onnx_model_path(cache, packaged_model_dir()).exists()
    t = time.perf_counter()
    ensure_onnx_model(cache)
    print(f"ONNX model: {'exported in' if fresh else 'already there, checked in'} {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory(prefix="bench-serving-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        subprocess.run([sys.executable, "-m", "bot", "ingest"], env=env_for("onnx", data_dir), cwd=ROOT, check=True,
                       capture_output=True)
        figures: dict[str, dict[str, list[float]]] = {r: {} for r in RUNTIMES}
        for round_ in range(args.runs):
            order = RUNTIMES if round_ % 2 == 0 else RUNTIMES[::-1]
            for runtime in order:
                seconds, rss = cold_ask(runtime, data_dir)
                search = warm_search(runtime, data_dir)
                ready, answer, worker_rss = serving_worker(runtime, data_dir, root, args.questions)
                row = {"cold ask s": seconds, "cold ask RSS MiB": rss, "search p50 ms": search["p50"],
                       "search p95 ms": search["p95"], "serve ready s": ready, "answer posted ms": answer * 1000,
                       "worker peak RSS MiB": worker_rss}
                for name, value in row.items():
                    figures[runtime].setdefault(name, []).append(value)
                print(f"round {round_ + 1} {runtime:5}: " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()),
                      flush=True)
    print(f"\nmedians over {args.runs} paired rounds (load average now {os.getloadavg()[0]:.2f}):")
    print(f"{'':22}" + "".join(f"{r:>12}" for r in RUNTIMES))
    for name in figures["onnx"]:
        print(f"{name:22}" + "".join(f"{statistics.median(figures[r][name]):12.1f}" for r in RUNTIMES))
    ratio = statistics.median(figures["onnx"]["cold ask s"]) / statistics.median(figures["torch"]["cold ask s"])
    print(f"cold `coach ask`, ONNX / PyTorch: {ratio:.2f}x")
    print(f"worst search p95 on ONNX: {max(figures['onnx']['search p95 ms']):.1f} ms; "
          f"worst worker peak RSS on ONNX: {max(figures['onnx']['worker peak RSS MiB']):.0f} MiB")


if __name__ == "__main__":
    main()
