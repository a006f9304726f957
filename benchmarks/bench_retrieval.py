"""Retrieval and offline-answer benchmarks. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_retrieval.py [--runs 5]

Measures, each as the median of --runs runs (a fresh data directory per ingest run):
  - ingest of the bundled corpus from scratch (including model load, in a child process) and re-ingest
    with nothing changed; peak RSS of the ingest process;
  - warm `search` and warm offline `ask` latency p50/p95 over the gold questions;
  - `search` p50/p95 with the corpus multiplied to ~5,000 chunks (synthetic copies);
  - cold `coach ask` as a whole process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def child(code: str, data_dir: Path) -> dict[str, float]:
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


INGEST = """
import json, resource, time
t0 = time.perf_counter()
from bot.config import get_settings
from bot.paths import knowledge_dir
from bot.retrieval.embeddings import build_embedder
from bot.retrieval.ingest import ingest
s = get_settings()
ingest([knowledge_dir()], s.index_dir, build_embedder(s))
t1 = time.perf_counter()
ingest([knowledge_dir()], s.index_dir, build_embedder(s))
t2 = time.perf_counter()
print(json.dumps({"scratch": t1 - t0, "again": t2 - t1,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_ingest(runs: int) -> Path:
    results = []
    for _ in range(runs):
        data_dir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
        results.append(child(INGEST, data_dir))
    scratch = statistics.median(r["scratch"] for r in results)
    again = statistics.median(r["again"] for r in results)
    print(f"ingest from scratch (incl. imports + model load): median {scratch:.2f} s")
    print(f"re-ingest, nothing changed:                       median {again:.3f} s")
    print(f"peak RSS of the ingest process:                   max {max(r['rss_mb'] for r in results):.0f} MB")
    return data_dir


def bench_warm(data_dir: Path, runs: int, large: bool = True) -> None:
    os.environ["COACH_DATA_DIR"] = str(data_dir)
    from bot.bootstrap import build_answerer, build_retriever
    from bot.config import Settings
    from bot.evaluation.gold import load_gold

    settings = Settings(data_dir=data_dir)
    retriever = build_retriever(settings)
    # The answerer as served offline (the composition root, no model, no memory): screens, scope, composition,
    # the reflective question.
    answerer = build_answerer(settings, retriever, turns=None, chat_model=None)
    gold = load_gold()
    questions = [q.question for q in gold.questions] + [q.question for q in gold.out_of_scope]
    for q in questions[:5]:  # warm-up
        answerer.answer(q)
    search_times, ask_times = [], []
    for _ in range(runs):
        for q in questions:
            retriever.clear_query_cache()  # time the model call every search pays for a new question
            t = time.perf_counter()
            retriever.search(q, 5)
            search_times.append((time.perf_counter() - t) * 1000)
            retriever.clear_query_cache()
            t = time.perf_counter()
            answerer.answer(q)
            ask_times.append((time.perf_counter() - t) * 1000)
    print(f"warm search over {len(questions)} questions x {runs}: p50 {pct(search_times, .5):.1f} ms, "
          f"p95 {pct(search_times, .95):.1f} ms ({len(retriever)} chunks)")
    print(f"warm offline ask:  p50 {pct(ask_times, .5):.1f} ms, p95 {pct(ask_times, .95):.1f} ms")
    print(f"peak RSS of this process so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if large:
        bench_large(retriever, questions, runs)


def bench_large(retriever, questions: list[str], runs: int) -> None:  # type: ignore[no-untyped-def]
    """The corpus copied until ~5,000 chunks, in a separate index; vectors perturbed so copies differ.
    The written questions are not copied: this measures how passages, sentences and BM25 scale."""
    import numpy as np

    from bot.retrieval.hybrid import HybridRetriever
    from bot.retrieval.store import IndexStore

    base = retriever._store.current_chunks()
    vectors = retriever._vectors
    target = 5000
    big_dir = Path(tempfile.mkdtemp(prefix="bench-5k-"))
    store = IndexStore.open_for_writing(big_dir, retriever.embedder.name)
    rng = np.random.default_rng(0)
    copies = target // len(base) + 1
    per_source = Counter(str(ch.metadata["source"]) for ch in base)
    for c in range(copies):
        noisy = vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        metas = [{**ch.metadata, "source": f"{ch.metadata['source']}-copy{c}", "record_count": per_source[
            ch.metadata["source"]]} for ch in base]
        store.add([f"{ch.chunk_id}-copy{c}" for ch in base], [ch.text for ch in base], noisy, metas)
    store.publish()
    t = time.perf_counter()
    big = HybridRetriever(IndexStore.open_for_reading(big_dir, retriever.embedder.name), retriever.embedder)
    load_s = time.perf_counter() - t
    for q in questions[:5]:
        big.search(q, 5)
    times = []
    for _ in range(runs):
        for q in questions:
            big.clear_query_cache()
            t = time.perf_counter()
            big.search(q, 5)
            times.append((time.perf_counter() - t) * 1000)
    print(f"search with {len(big)} chunks: p50 {pct(times, .5):.1f} ms, p95 {pct(times, .95):.1f} ms "
          f"(retriever load {load_s:.2f} s)")


def bench_cold(data_dir: Path, runs: int) -> None:
    times = []
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir)}
    coach = [sys.executable, "-m", "bot", "ask", "How do we stop the council dominating our partnership?"]
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(coach, capture_output=True, env=env, check=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    print(f"cold `coach ask` (whole process): median {statistics.median(times):.2f} s over {runs} runs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm-only", type=Path, metavar="DATA_DIR",
                        help="Only the warm search and offline answer, on the index already in DATA_DIR.")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; torch threads: {os.environ.get('COACH_TORCH_THREADS', '1')}; "
          f"load average at start: {os.getloadavg()[0]:.2f}")
    if args.warm_only:
        bench_warm(args.warm_only, args.runs, large=False)
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        raise SystemExit(0)
    data = bench_ingest(args.runs)
    bench_cold(data, args.runs)
    bench_warm(data, args.runs)
