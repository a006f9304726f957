"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank fusion."""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.retrieval.embeddings import Embedder
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import LexicalIndex
from bot.retrieval.sentence_vectors import SentenceVectors
from bot.retrieval.store import IndexStore

RRF_K = 60  # the usual constant: damps the influence of any one ranking's top positions
CANDIDATES = 30  # per ranking, before fusion
SENTENCE_VECTORS_FILE = "sentence_vectors.npz"


class HybridRetriever:
    def __init__(self, store: IndexStore, embedder: Embedder, dense_weight: float = 1.0,
                 lexical_weight: float = 1.0) -> None:
        self._store = store
        self._embedder = embedder
        self._dense_weight = dense_weight
        self._lexical_weight = lexical_weight
        chunks = store.current_chunks()
        self._ids = [c.chunk_id for c in chunks]
        self._row = {cid: i for i, cid in enumerate(self._ids)}
        self._texts = [c.text for c in chunks]
        self._meta = [c.metadata for c in chunks]
        self._vectors = self._load_vectors()
        self.sentence_vectors = SentenceVectors(store.index_dir / SENTENCE_VECTORS_FILE, embedder)
        self._lexical = LexicalIndex([f"{m.get('heading', '')}\n{t}" for m, t in zip(self._meta, self._texts,
                                                                                      strict=True)])

    def __len__(self) -> int:
        return len(self._ids)

    def _load_vectors(self) -> np.ndarray:
        if not self._ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self._store.collection.get(ids=self._ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([by_id[cid] for cid in self._ids], dtype=np.float32)

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def passages(self) -> list[str]:
        return list(self._texts)

    def embed_query(self, query: str) -> np.ndarray:
        return self._embedder.embed([query])[0]

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        if not self._ids or not query.strip():
            return []
        qv = self.embed_query(query) if query_vector is None else query_vector
        allowed = self._allowed(filters)
        dense = self._dense_ranking(qv, filters, allowed)
        lexical = self._lexical_ranking(query, allowed)
        fused: dict[int, float] = {}
        for weight, ranking in ((self._dense_weight, dense), (self._lexical_weight, lexical)):
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda r: fused[r], reverse=True)[:k]
        similarities = self._vectors[best] @ qv if best else np.zeros(0)
        return [self._hit(row, fused[row], float(sim)) for row, sim in zip(best, similarities, strict=True)]

    def similarities(self, query_vector: np.ndarray) -> np.ndarray:
        return self._vectors @ query_vector

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
        where: Any = None
        if filters:
            clauses = [{key: value} for key, value in filters.items()]
            where = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        # Over-fetch: the collection may still hold chunks of superseded document versions.
        got = self._store.collection.query(query_embeddings=[qv.tolist()], n_results=min(n + 20, self._count()),
                                           where=where, include=[])
        rows = [self._row[cid] for cid in got["ids"][0] if cid in self._row]
        return rows[:n]

    def _count(self) -> int:
        return max(1, int(self._store.collection.count()))

    def _lexical_ranking(self, query: str, allowed: np.ndarray | None) -> list[int]:
        scores = self._lexical.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [int(r) for r in order if scores[r] > 0]

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
