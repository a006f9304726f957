"""LLM answerer benchmarks against the local fake OpenAI server with a fixed delay. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_llm.py [--runs 50] [--delay 0.2] [--data-dir DIR]

Measures:
  - chain overhead outside the model call, p50/p95: an answer's latency minus the time spent waiting for the
    model (meta model_ms); also minus the server's own time for the request (received -> [DONE] written),
    which counts the HTTP client and SSE parsing as overhead too. With a fake retriever (the chain alone)
    and, when --data-dir holds an index, with the real hybrid retriever;
  - first checked sentence forwarded: from the server writing the first text chunk to the caller receiving the
    first sentence (text is shown a sentence at a time once checked, so this includes the model writing the
    sentence: 14 chunks here) and, subtracting that writing time, the cost of the check itself;
  - fallback delivery: a stalled stream, a slow first byte and repeated 500s, against timeout + 1 s.
Targets (issue 4): overhead <= 50 ms p95; first text within 20 ms of its arrival (issue 9: now the first whole
checked sentence); fallback within timeout + 1 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answering.llm import LLMAnswerer  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.llm.provider import build_chat_model  # noqa: E402
from tests.llm.conftest import FakeOffline, FakeRetriever, llm_answerer  # noqa: E402
from tests.llm.fake_openai import FakeOpenAI, Reply  # noqa: E402

REPLY = ("A successful partnership leader shares a vision with partners and avoids dominating "
         "the partnership [1]. "
         "Accountability for public money cannot be delegated to a partnership board [2]. "
         "Ask why the partnership exists and what it is for [3].\nWhat is your partnership for?")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(name: str, values: list[float], target: str = "") -> None:
    print(f"  {name:<58} p50 {statistics.median(values):7.1f} ms   p95 {pct(values, 0.95):7.1f} ms   "
          f"max {max(values):7.1f} ms  {target}")


def overhead(fake: FakeOpenAI, answerer: LLMAnswerer, runs: int, delay: float, chunk_delay: float,
             label: str) -> None:
    words = len(REPLY.split(" "))
    fake.default = Reply(REPLY, delay=delay, chunk_delay=chunk_delay, chunk_words=1)
    answerer.answer("How do I lead without dominating my partners?")  # warm up connections and imports
    chain, vs_server, first = [], [], []
    for n in range(runs):
        fake.first_chunk_sent_at.clear()
        fake.requests.clear()
        fake.stream_done_at.clear()
        if clear := getattr(answerer._retriever, "clear_query_cache", None):
            clear()  # the same question each run: time its embedding every time
        t = time.perf_counter()
        stream = answerer.stream("How do I lead without dominating my partners?", conversation_id=f"b{n % 3}")
        got_first = None
        for _piece in stream:
            if got_first is None:
                got_first = time.perf_counter()
        total = (time.perf_counter() - t) * 1000
        answer = stream.answer
        assert answer.mode == "llm", answer
        chain.append(total - answer.meta["model_ms"])
        # The server's own time, from receiving the request to writing [DONE], is the model call at its best.
        served = fake.stream_done_at[-1] - fake.chat_requests()[-1].at
        vs_server.append(total - served * 1000)
        if got_first is not None and fake.first_chunk_sent_at:
            first.append((got_first - fake.first_chunk_sent_at[-1]) * 1000)
    print(f"{label} ({runs} answers, server delay {delay * 1000:.0f} ms + {words} chunks "
          f"x {chunk_delay * 1000:.0f} ms)")
    line("chain overhead outside the model call", chain, "(target <= 50 ms p95)")
    line("overhead incl. HTTP client + SSE parsing (vs server time)", vs_server)
    line("first checked sentence: server's first chunk -> caller", first)
    sentence_chunks = len(REPLY.split("[1]. ")[0].split(" "))  # chunks up to and including the one ending it
    line("  the same, less the model writing the sentence", [f - (sentence_chunks - 1) * chunk_delay * 1000
                                                             for f in first], "(target <= 20 ms)")


def fallbacks(fake: FakeOpenAI, settings: Settings) -> None:
    print(f"Fallback delivery (COACH_LLM_TIMEOUT={settings.llm_timeout:.1f} s, target <= timeout + 1 s)")
    cases = {"stalled stream": [Reply(REPLY, stall_after=3)], "slow first byte (30 s)": [Reply(delay=30)],
             "500 every time (retried)": [Reply(status=500)] * 5,
             "429 Retry-After 60": [Reply(status=429, headers={"retry-after": "60"})]}
    for name, replies in cases.items():
        times = []
        for _ in range(3):
            fake.script.clear()
            fake.then(*replies)
            answerer = llm_answerer(FakeRetriever(), build_chat_model(settings), FakeOffline(), settings)
            t = time.perf_counter()
            answer = answerer.answer("How do I lead without dominating my partners?")
            times.append(time.perf_counter() - t)
            assert answer.mode == "fallback", answer
        print(f"  {name:<30} worst {max(times):.3f} s   (timeout + 1 s = {settings.llm_timeout + 1:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.2, help="Server delay before the first byte (s).")
    parser.add_argument("--chunk-delay", type=float, default=0.005)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--data-dir", type=Path, default=None, help="A data dir with an index: real retriever.")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with FakeOpenAI() as fake:
        os.environ.update(OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="bench")
        settings = Settings(llm_timeout=args.timeout)
        chat = build_chat_model(settings)
        overhead(fake, llm_answerer(FakeRetriever(), chat, FakeOffline(), settings),
                 args.runs, args.delay, args.chunk_delay, "Chain with a fake retriever, no history")
        if args.data_dir:
            from bot.bootstrap import build_answerer, build_retriever

            real = Settings(data_dir=args.data_dir, llm_timeout=args.timeout)
            answerer = build_answerer(real, build_retriever(real), turns=None, chat_model=chat)  # as served
            overhead(fake, answerer, args.runs, args.delay, args.chunk_delay, "Chain with the real hybrid retriever")
        fallbacks(fake, settings)


if __name__ == "__main__":
    main()
