"""BM25 over the current chunks (bm25s with an English stemmer), rebuilt in memory when the retriever loads."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

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


_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN_PLUS)


def terms(text: str) -> set[str]:
    """Stemmed content words of a text."""
    return set(term_sequence(text))


def term_sequence(text: str) -> list[str]:
    """Stemmed content words of a text, in order (a phrase can then be found in a sentence)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _stopwords() and len(w) > 1]
    return list(_stemmer().stemWords(words))


def word_overlap(question_terms: set[str], sentence: str) -> float:
    """The share of the question's content words that the sentence uses."""
    if not question_terms:
        return 0.0
    return len(question_terms & terms(sentence)) / len(question_terms)
