"""Hybrid retrieval: a dense and a lexical ranking of the passages, fused by reciprocal rank fusion.

- dense: a passage is as close to the question as its closest facet: the passage itself, one of its
  sentences, or one of the questions written for it. Short questions often match one
  sentence or one practitioner's phrasing while the passage as a whole covers several things.
- lexical: BM25 over the passage, its heading and the questions written for it.

Measured on evals/retrieval_gold.yaml (`coach eval retrieval`), the facet ranking beat the whole-passage
ranking at every weight we tried, so the whole-passage vector counts as one facet rather than a ranking.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from bot.observability.metrics import RETRIEVAL_SECONDS
from bot.retrieval.chunking import passage_sentences
from bot.retrieval.embeddings import Embedder
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import LexicalIndex, terms
from bot.retrieval.off_topic import OffTopic
from bot.retrieval.planted import passage_flags_of
from bot.retrieval.scope_model import ScopeModel, asked_of_sources
from bot.retrieval.sentence_vectors import SentenceVectors
from bot.retrieval.store import IndexRecords

RRF_K = 60  # the usual constant: damps the influence of any one ranking's top positions
CANDIDATES = 30  # per ranking, before fusion
QUESTION_CANDIDATES = 100  # nearest written questions kept per search
SENTENCE_VECTORS_FILE = "sentence_vectors.npz"
SCOPE_MODEL_FILE = "scope_model.npz"
SOURCE_QUESTIONS_FILE = "source_questions.npz"  # written questions asked of their source by name
QUERY_CACHE = 512  # query vectors kept (1.5 KB each)


class HybridRetriever:
    def __init__(self, store: IndexRecords, embedder: Embedder,
                 weights: tuple[float, float] = (1.0, 1.0)) -> None:
        self._store = store
        self._embedder = embedder
        # The model call is most of a search: one question is often embedded by the search, the answerer
        # and the attribute link in turn, and Slack retries repeat questions.
        self._embed_cached = lru_cache(maxsize=QUERY_CACHE)(self._embed_once)
        self._last_matches: tuple[bytes, list[tuple[str, str, float]]] | None = None
        self.weights = weights  # dense, lexical
        records = store.current_records()  # one read of the collection for passages and questions
        chunks = records["chunk"]
        self._ids = [c.chunk_id for c in chunks]
        self._row = {cid: i for i, cid in enumerate(self._ids)}
        self._texts = [c.text for c in chunks]
        self._meta = [c.metadata for c in chunks]
        self._vectors = store.vectors(self._ids)
        self.sentence_vectors = SentenceVectors(store.index_dir / SENTENCE_VECTORS_FILE, embedder)
        self._off_topic = OffTopic.open(store.index_dir, embedder.name, store.url)
        questions = [q for q in records["question"] if q.metadata.get("parent") in self._row]
        self._question_parent = {q.chunk_id: self._row[str(q.metadata["parent"])] for q in questions}
        # The written questions are searched in memory like the passages (a few hundred vectors: a matrix
        # product of well under a millisecond, where a Chroma query with its metadata filter cost as much as
        # embedding the question). Nothing in a search then waits on Chroma, embedded or a server.
        self._question_ids = [q.chunk_id for q in questions]
        self._question_texts = [q.text for q in questions]
        self._question_rows = np.array([self._question_parent[q] for q in self._question_ids], dtype=np.int64)
        self._question_vectors = _unit_rows(store.vectors(self._question_ids))
        self._facets, self._facet_starts = self._load_sentence_facets()
        asked: dict[int, list[str]] = {}
        for q in questions:
            asked.setdefault(self._row[str(q.metadata["parent"])], []).append(q.text)
        # What the guidance answers (its written questions, also asked of their source by name, its passages and
        # sentences) against what it does not.
        inside = np.vstack([store.vectors([q.chunk_id for q in questions]).reshape(-1, self._facets.shape[1]),
                            self._facets, self._named_source_vectors(store, asked)]) \
            if len(self._facets) else self._facets
        self._scope_model = ScopeModel.cached(store.index_dir / SCOPE_MODEL_FILE, inside, self._off_topic.vectors)
        searchable = [f"{m.get('heading', '')}\n{t}\n{' '.join(asked.get(i, []))}" for i, (m, t) in
                      enumerate(zip(self._meta, self._texts, strict=True))]
        self._lexical = LexicalIndex(searchable)
        # Stemmed content words the guidance uses: a follow-up that brings in anything else is not about it.
        self.vocabulary: frozenset[str] = frozenset().union(*map(terms, searchable))

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    @property
    def passage_texts(self) -> list[str]:
        """The text of every passage in the index (the offline composer weighs words by how few passages use
        them)."""
        return list(self._texts)

    def passage_similarities(self, vectors: np.ndarray) -> np.ndarray:
        """For each passage (rows, in index order) and each of `vectors` (columns): the cosine similarity of
        the passage's closest facet, the passage itself or one of its sentences (the exercise feedback weighs
        each of the person's answers against every passage in one product)."""
        if not self._ids or not len(vectors):
            return np.zeros((len(self._ids), len(vectors)), dtype=np.float32)
        return np.maximum.reduceat(self._facets @ np.asarray(vectors, dtype=np.float32).T, self._facet_starts, axis=0)

    def passage_hit(self, row: int, score: float = 0.0, similarity: float = 0.0) -> Hit:
        """The passage at `row` (index order, as `passage_texts` and `passage_similarities`) as a search hit."""
        return self._hit(row, score, similarity)

    def embed_query(self, query: str) -> np.ndarray:
        return self._embed_cached(query)

    def off_topic_similarity(self, query: str | np.ndarray) -> float:
        """How close the question is to the nearest example of what the guidance does not cover."""
        return self._off_topic.similarity(self.embed_query(query) if isinstance(query, str) else query)

    def in_scope_probability(self, query: str | np.ndarray) -> float:
        """How much the question reads like one the guidance answers rather than one of the off-topic examples
        (bot.retrieval.scope_model), 0..1."""
        return self._scope_model.probability(self.embed_query(query) if isinstance(query, str) else query)

    def clear_query_cache(self) -> None:
        """Forget cached query vectors (benchmarks time the uncached path)."""
        self._embed_cached.cache_clear()

    def neighbour(self, hit: Hit, step: int) -> Hit | None:
        """The passage `step` places after (or before) this one in the same document, if there is one: a list
        that runs on past a passage boundary is answered whole."""
        row = self._row.get(hit.chunk_id)
        if row is None:
            return None
        source, position = self._meta[row].get("source"), self._meta[row].get("position")
        if not isinstance(position, int):
            return None
        for other, meta in enumerate(self._meta):
            if meta.get("source") == source and meta.get("position") == position + step:
                return self._hit(other, 0.0, 0.0)
        return None

    def _embed_once(self, query: str) -> np.ndarray:
        vector = self._embedder.embed([query])[0]
        vector.setflags(write=False)  # shared by every caller of the cache
        return vector

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        with RETRIEVAL_SECONDS.time():
            return self._search(query, k, filters, query_vector)

    def _search(self, query: str, k: int, filters: dict[str, str] | None,
                query_vector: np.ndarray | None) -> list[Hit]:
        if not self._ids or not query.strip():
            return []
        qv = self.embed_query(query) if query_vector is None else query_vector
        allowed = self._allowed(filters)
        facet_scores = self._facet_scores(qv, filters)
        rankings = (self._ranking(facet_scores, allowed),
                    self._ranking(self._lexical.scores(query), allowed, positive_only=True))
        fused: dict[int, float] = {}
        for weight, ranking in zip(self.weights, rankings, strict=True):
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda r: fused[r], reverse=True)[:k]
        return [self._hit(row, fused[row], float(facet_scores[row])) for row in best]

    # -- loading -----------------------------------------------------------------------------------------
    def _load_sentence_facets(self) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of every passage and every sentence (precomputed at ingest), grouped by passage row,
        and where each passage's group starts."""
        sentences: list[str] = []
        owners: list[int] = list(range(len(self._ids)))
        for row, text in enumerate(self._texts):
            for sentence in passage_sentences(text):
                sentences.append(sentence)
                owners.append(row)
        if not self._ids:
            return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int64)
        parts = [self._vectors]
        if sentences:
            parts.append(self.sentence_vectors.vectors(sentences))
            self.sentence_vectors.save()  # a no-op unless some were missing
        # Grouped by passage, so one reduceat gives every passage's best facet.
        order = np.argsort(np.asarray(owners), kind="stable")
        grouped = np.asarray(owners)[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        return np.vstack(parts)[order], starts

    def _named_source_vectors(self, store: IndexRecords, asked: dict[int, list[str]]) -> np.ndarray:
        """Vectors of the written questions asked of their source by name (bot.retrieval.scope_model), embedded
        once (at ingest, which loads a retriever) and kept beside the index."""
        examples = asked_of_sources((str(m.get("title", "")), str(m.get("citation", "")), asked.get(row, []))
                                    for row, m in enumerate(self._meta))
        if not examples:
            return np.zeros((0, self._facets.shape[1]), dtype=np.float32)
        cache = SentenceVectors(store.index_dir / SOURCE_QUESTIONS_FILE, self._embedder)
        vectors = cache.vectors(examples)
        cache.keep_only(examples)
        cache.save()
        return vectors

    # -- rankings ----------------------------------------------------------------------------------------
    def _allowed(self, filters: dict[str, str] | None) -> np.ndarray | None:
        if not filters:
            return None
        return np.array([all(str(m.get(k)) == str(v) for k, v in filters.items()) for m in self._meta])

    def _facet_scores(self, qv: np.ndarray, filters: dict[str, str] | None) -> np.ndarray:
        """Per passage, the cosine similarity of its closest facet to the question."""
        if not self._ids:
            return np.zeros(0, dtype=np.float32)
        best = np.maximum.reduceat(self._facets @ qv, self._facet_starts)
        for row, similarity in self._question_matches(qv, filters):
            best[row] = max(best[row], similarity)
        return best

    def _question_matches(self, qv: np.ndarray, filters: dict[str, str] | None) -> list[tuple[int, float]]:
        """The written questions nearest the user's, as (passage row, cosine similarity), best first."""
        if not self._question_ids:
            return []
        similarities = self._question_vectors @ (qv / (np.linalg.norm(qv) or 1.0))
        allowed = self._allowed(filters)
        if allowed is not None:  # a question is filtered as the passage it was written for
            similarities = np.where(allowed[self._question_rows], similarities, -np.inf)
        count = min(QUESTION_CANDIDATES, len(similarities))
        nearest = np.argpartition(-similarities, count - 1)[:count]
        nearest = nearest[np.argsort(-similarities[nearest], kind="stable")]
        matches = [(int(i), float(similarities[i])) for i in nearest if np.isfinite(similarities[i])]
        if not filters:  # kept for the answerer, which asks which written questions matched this search
            self._last_matches = (qv.tobytes(), [(self._ids[self._question_rows[i]], self._question_texts[i], s)
                                                 for i, s in matches])
        return [(int(self._question_rows[i]), s) for i, s in matches]

    def matched_questions(self, qv: np.ndarray) -> list[tuple[str, str, float]]:
        """The written questions nearest this question vector, as (passage id, question, similarity), best first.
        Free after a search with the same vector (no filters); otherwise one more lookup."""
        if self._last_matches is None or self._last_matches[0] != qv.tobytes():
            self._question_matches(qv, None)
        return list(self._last_matches[1]) if self._last_matches else []

    def _ranking(self, scores: np.ndarray, allowed: np.ndarray | None, positive_only: bool = False) -> list[int]:
        floor = 0.0 if positive_only else -1.0
        if allowed is not None:
            scores = np.where(allowed, scores, floor)
        order = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [int(r) for r in order if scores[r] > floor]

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
            flags=passage_flags_of(meta),
            trusted=bool(meta.get("trusted", False)),
        )


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    if not vectors.size:
        return np.zeros((0, 0), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
