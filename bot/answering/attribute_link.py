"""Which leadership attribute an answer is about.

The attribute whose description lies closest to the question plus what the guidance says about it. The
reflective question that ends an answer, and the quick check-in offered after it, follow from this choice.
"""

from __future__ import annotations

import numpy as np

from bot.coaching.attributes import Attribute, attributes
from bot.retrieval.hybrid import HybridRetriever


class AttributeLinker:
    def __init__(self, retriever: HybridRetriever) -> None:
        self._retriever = retriever
        self._attributes = attributes().attributes
        self._vectors = retriever.embedder.embed([f"{a.name}. {a.description} {a.question}" for a in self._attributes])

    def closest(self, question: str | np.ndarray, guidance_sentences: list[str]) -> Attribute:
        """`question` as text or as its vector; `guidance_sentences` are what the answer draws on (their
        vectors are mostly precomputed at ingest, so this costs no model call for indexed text)."""
        qv = self._retriever.embed_query(question) if isinstance(question, str) else question
        topic = qv + (self._retriever.sentence_vectors.vectors(guidance_sentences).mean(axis=0)
                      if guidance_sentences else 0)
        return self._attributes[int(np.argmax(self._vectors @ topic))]
