"""Hybrid retrieval: three rankings of the passages fused by reciprocal rank fusion.

- dense: the passage's own embedding, searched in Chroma;
- facets: the passage's closest sentence or authored question (a passage is as close to a question as
  its closest part: short questions often match one sentence while the passage covers several things);
- lexical: BM25 over the passage, its heading and its authored questions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.retrieval.chunking import passage_sentences
from bot.retrieval.embeddings import Embedder
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import LexicalIndex
from bot.retrieval.sentence_vectors import SentenceVectors
from bot.retrieval.store import IndexStore

RRF_K = 60  # the usual constant: damps the influence of any one ranking's top positions
CANDIDATES = 30  # per ranking, before fusion
SENTENCE_VECTORS_FILE = "sentence_vectors.npz"


class HybridRetriever:
    def __init__(self, store: IndexStore, embedder: Embedder,
                 weights: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> None:
        self._store = store
        self._embedder = embedder
        self.weights = weights  # dense, facets, lexical
        chunks = store.current_chunks()
        self._ids = [c.chunk_id for c in chunks]
        self._row = {cid: i for i, cid in enumerate(self._ids)}
        self._texts = [c.text for c in chunks]
        self._meta = [c.metadata for c in chunks]
        self._vectors = store.vectors(self._ids)
        self.sentence_vectors = SentenceVectors(store.index_dir / SENTENCE_VECTORS_FILE, embedder)
        questions = [q for q in store.current_chunks("question") if q.metadata.get("parent") in self._row]
        self._facets, self._facet_owner = self._load_facets(questions)
        asked: dict[int, list[str]] = {}
        for q in questions:
            asked.setdefault(self._row[str(q.metadata["parent"])], []).append(q.text)
        self._lexical = LexicalIndex(
            [f"{m.get('heading', '')}\n{t}\n{' '.join(asked.get(i, []))}" for i, (m, t) in
             enumerate(zip(self._meta, self._texts, strict=True))]
        )

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def embed_query(self, query: str) -> np.ndarray:
        return self._embedder.embed([query])[0]

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        if not self._ids or not query.strip():
            return []
        qv = self.embed_query(query) if query_vector is None else query_vector
        allowed = self._allowed(filters)
        facet_scores = self._facet_scores(qv)
        rankings = (self._dense_ranking(qv, filters, allowed), self._ranking(facet_scores, allowed),
                    self._ranking(self._lexical.scores(query), allowed, positive_only=True))
        fused: dict[int, float] = {}
        for weight, ranking in zip(self.weights, rankings, strict=True):
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda r: fused[r], reverse=True)[:k]
        return [self._hit(row, fused[row], self._similarity(row, qv, facet_scores)) for row in best]

    # -- loading -----------------------------------------------------------------------------------------
    def _load_facets(self, questions: list[Any]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of every sentence (precomputed at ingest) and authored question, with their passage's row."""
        sentences: list[str] = []
        owners: list[int] = []
        for row, text in enumerate(self._texts):
            for sentence in passage_sentences(text):
                sentences.append(sentence)
                owners.append(row)
        parts = []
        if sentences:
            parts.append(self.sentence_vectors.vectors(sentences))
            self.sentence_vectors.save()  # a no-op unless some were missing
        if questions:
            parts.append(self._store.vectors([q.chunk_id for q in questions]))
            owners += [self._row[str(q.metadata["parent"])] for q in questions]
        if not parts:
            return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int64)
        return np.vstack(parts), np.asarray(owners, dtype=np.int64)

    # -- rankings ----------------------------------------------------------------------------------------
    def _allowed(self, filters: dict[str, str] | None) -> np.ndarray | None:
        if not filters:
            return None
        return np.array([all(str(m.get(k)) == str(v) for k, v in filters.items()) for m in self._meta])

    def _dense_ranking(self, qv: np.ndarray, filters: dict[str, str] | None,
                       allowed: np.ndarray | None) -> list[int]:
        n = min(CANDIDATES, len(self._ids) if allowed is None else int(allowed.sum()))
        if n == 0:
            return []
        clauses: list[dict[str, Any]] = [{"kind": "chunk"}, *({key: value} for key, value in (filters or {}).items())]
        where = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        # Over-fetch: the collection may still hold passages of superseded document versions.
        got = self._store.collection.query(query_embeddings=[qv.tolist()], include=[], where=where,
                                           n_results=min(n + 20, max(1, int(self._store.collection.count()))))
        return [self._row[cid] for cid in got["ids"][0] if cid in self._row][:n]

    def _facet_scores(self, qv: np.ndarray) -> np.ndarray:
        best = np.full(len(self._ids), -1.0, dtype=np.float32)
        if len(self._facet_owner):
            np.maximum.at(best, self._facet_owner, self._facets @ qv)
        return best

    def _ranking(self, scores: np.ndarray, allowed: np.ndarray | None, positive_only: bool = False) -> list[int]:
        floor = 0.0 if positive_only else -1.0
        if allowed is not None:
            scores = np.where(allowed, scores, floor)
        order = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [int(r) for r in order if scores[r] > floor]

    def _similarity(self, row: int, qv: np.ndarray, facet_scores: np.ndarray) -> float:
        return float(self._vectors[row] @ qv)

    def _hit(self, row: int, score: float, similarity: float) -> Hit:
        meta = self._meta[row]
        return Hit(
            chunk_id=self._ids[row],
            text=self._texts[row],
            source=str(meta.get("source", "")),
            title=str(meta.get("title", "")),
            citation=str(meta.get("citation", "")),
            heading=str(meta.get("heading", "")),
            ref=str(meta.get("ref", "")),
            score=round(score, 6),
            similarity=round(similarity, 4),
        )
