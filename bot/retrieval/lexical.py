"""BM25 over the current chunks (bm25s with an English stemmer), rebuilt in memory when the retriever loads."""

from __future__ import annotations

import logging

import numpy as np


class LexicalIndex:
    def __init__(self, texts: list[str]) -> None:
        import bm25s
        import Stemmer

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets itself to DEBUG on import
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        self._size = len(texts)
        if texts:
            tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, show_progress=False)
            self._bm25.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """A BM25 score for every chunk, in index order (zeros when no query term is known)."""
        import bm25s

        if not self._size:
            return np.zeros(0, dtype=np.float32)
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, show_progress=False,
                                return_ids=False)[0]
        if not tokens:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
