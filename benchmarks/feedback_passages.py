"""Are the passages chosen for exercise feedback about what the person wrote? Prints figures; asserts nothing.

    .venv/bin/python benchmarks/feedback_passages.py     (needs the search index: `coach ingest`)

For every answer set in evals/exercise_answers.yaml, the guidance is searched two ways: as the feedback does now
(the exercise's title and bot.coaching.feedback.search_terms: the distinctive words of each answer, at most
QUERY_WORDS), with those words alone, and as it did before (the title and the whole answers, cut at 1,000
characters). For each it prints:
- words shared: of the passages shown, how many can say "Chosen because you wrote about ‘…’";
- closeness: the passages' mean cosine similarity to the nearest of the person's own answers (each embedded
  whole), i.e. how close in meaning the passages are to something the person wrote;
- the CPU time of the search, and how many of the three passages the two ways share.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.bootstrap import retriever  # noqa: E402
from bot.coaching.exercises import Exercise, exercise_library  # noqa: E402
from bot.coaching.feedback import search_terms, why_chosen  # noqa: E402
from bot.coaching.model import Reflection  # noqa: E402


def answer_sets() -> list[tuple[Exercise, list[Reflection]]]:
    written = yaml.safe_load((ROOT / "evals" / "exercise_answers.yaml").read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    cases = []
    for exercise in exercise_library():
        for answers in written.get(exercise.id, []):
            texts = iter(answers)
            said = [(step, next(texts, None) if step.kind == "text" else None) for step in exercise.steps]
            cases.append((exercise, [Reflection(0, "officer", 1, exercise.id, step.id, step.prompt, text,
                                                3 if step.kind == "rating" else None, now, now)
                                     for step, text in said if step.kind == "rating" or text]))
    return cases


def main() -> None:
    search = retriever()
    search.search("warm-up: load the model and the index", k=3)
    cases = answer_sets()
    ways = {"title + distinctive words (now)": lambda e, r: f"{e.title} {search_terms(r)}",
            "distinctive words only": lambda e, r: search_terms(r),
            "title + whole answers (before)": lambda e, r: f"{e.title} {' '.join(a.answer or '' for a in r)}"[:1000]}
    found: dict[str, list[list[str]]] = {}
    for name, query_of in ways.items():
        shared, close, cpu, found[name] = 0, [], [], []
        for exercise, said in cases:
            query = query_of(exercise, said)
            search.clear_query_cache()
            start = time.process_time()
            hits = search.search(query, k=3)
            cpu.append((time.process_time() - start) * 1000)
            found[name].append([h.chunk_id for h in hits])
            shared += sum(why_chosen(h, said).startswith("Chosen because") for h in hits)
            theirs = [search.embed_query(a.answer) for a in said if a.answer]
            close += [max(float(p @ t) for t in theirs) for p in search.embedder.embed([h.text for h in hits])]
        print(f"{name:<34} words shared {shared:3}/{3 * len(cases)}   closeness {statistics.mean(close):.4f}   "
              f"search CPU median {statistics.median(cpu):5.1f} ms")
    now, _, before = found.values()
    common = statistics.mean(len(set(a) & set(b)) for a, b in zip(now, before, strict=True))
    print(f"{len(cases)} answer sets; passages in common: {common:.2f} of 3")


if __name__ == "__main__":
    main()
