"""Retrieval quality: recall@1/3/5 and MRR@5 for our hybrid retriever and, in the same run, a naive peer
(the LangChain tutorial pipeline: RecursiveCharacterTextSplitter 1000/200, dense top-k over the same
model); plus how often out-of-scope questions are declined and in-scope ones answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from bot.answering.coverage import CoverageRule
from bot.evaluation.gold import GoldSet, is_relevant
from bot.retrieval.documents import discover, load
from bot.retrieval.embeddings import Embedder

# question, k -> [(passage text, cosine similarity)], best first
SearchFn = Callable[[str, int], list[tuple[str, float]]]
# question -> (closeness to the guidance, closeness to the nearest off-topic example, probability it reads as in
# scope, whether it asks for a fact rather than advice): what CoverageRule judges
MeasureFn = Callable[[str], tuple[float, float, float, bool]]
KS = (1, 3, 5)


@dataclass
class RetrievalScores:
    name: str
    recall: dict[int, float]
    mrr5: float
    misses: list[str] = field(default_factory=list)  # question ids with nothing relevant in the top 5


@dataclass
class CoverageScores:
    rule: CoverageRule
    in_scope_answered: float
    out_of_scope_declined: float
    best_rule: CoverageRule  # the rule that would maximise balanced accuracy on this set (for calibration)
    wrongly_declined: list[str] = field(default_factory=list)
    wrongly_answered: list[str] = field(default_factory=list)


def score_retrieval(name: str, search: SearchFn, gold: GoldSet) -> RetrievalScores:
    found_at: list[int | None] = []
    misses = []
    for q in gold.questions:
        ranks = [i for i, (text, _) in enumerate(search(q.question, max(KS))) if is_relevant(text, q)]
        found_at.append(ranks[0] if ranks else None)
        if not ranks:
            misses.append(q.id)
    n = len(found_at)
    recall = {k: sum(1 for r in found_at if r is not None and r < k) / n for k in KS}
    mrr = sum(1 / (r + 1) for r in found_at if r is not None and r < 5) / n
    return RetrievalScores(name, recall, mrr, misses)


def score_coverage(measure: MeasureFn, gold: GoldSet, rule: CoverageRule) -> CoverageScores:
    inside = {q.id: measure(q.question) for q in gold.questions}
    outside = {q.id: measure(q.question) for q in gold.out_of_scope}

    def balanced(r: CoverageRule) -> float:
        answered = sum(r.covers(*m) for m in inside.values()) / max(1, len(inside))
        declined = sum(not r.covers(*m) for m in outside.values()) / max(1, len(outside))
        return (answered + declined) / 2

    candidates = [replace(rule, threshold=float(t), margin=float(m)) for t in np.round(np.arange(0.20, 0.60, 0.01), 2)
                  for m in np.round(np.arange(-0.20, 0.21, 0.01), 2)]
    # Ties go to the rule nearest the one in use: a calibration hint, not a search for a lucky corner.
    best = max(candidates, key=lambda r: (balanced(r), -abs(r.threshold - rule.threshold)
                                          - abs(r.margin - rule.margin)))
    return CoverageScores(
        rule=rule,
        in_scope_answered=sum(rule.covers(*m) for m in inside.values()) / max(1, len(inside)),
        out_of_scope_declined=sum(not rule.covers(*m) for m in outside.values()) / max(1, len(outside)),
        best_rule=best,
        wrongly_declined=[i for i, m in inside.items() if not rule.covers(*m)],
        wrongly_answered=[i for i, m in outside.items() if rule.covers(*m)],
    )


class NaivePeer:
    """The LangChain tutorial pipeline over the same documents and the same embedding model."""

    def __init__(self, paths: list[Path], embedder: Embedder) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        docs = []
        for path in discover(paths):
            try:
                docs.append(load(path))
            except Exception:
                continue
        self.chunks = [c for d in docs for c in splitter.split_text(d.text)]
        self._embedder = embedder
        self._vectors = embedder.embed(self.chunks)

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        sims = self._vectors @ self._embedder.embed([question])[0]
        order = np.argsort(-sims)[:k]
        return [(self.chunks[i], float(sims[i])) for i in order]
