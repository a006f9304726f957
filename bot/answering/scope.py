"""Whether the guidance covers a question, as one object the answerer is handed (never found by probing).

`RuleScope` is what is served: the calibrated coverage rule (bot.answering.coverage) over the hybrid retriever,
the same rule the offline answerer declines by, and the guidance's own vocabulary. `ThresholdScope` is for
retrievers that only return hits (test doubles, planted passages in the attack evaluation).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from bot.answering.answerability import asks_for_fact, missing_answer
from bot.answering.coverage import CoverageRule
from bot.answering.near_miss import outside_guidance
from bot.retrieval.hits import Hit
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.lexical import terms


class GuidanceScope(Protocol):
    def covers(self, question: str, hits: list[Hit]) -> bool:
        """Whether these hits for this question are the guidance answering it."""
        ...

    def unknown_terms(self, text: str) -> set[str]:
        """The (stemmed) content words of `text` that the guidance never uses."""
        ...


class RuleScope:
    def __init__(self, retriever: HybridRetriever, rule: CoverageRule) -> None:
        self._retriever = retriever
        self.rule = rule

    def covers(self, question: str, hits: list[Hit]) -> bool:
        if not hits or outside_guidance(question):  # law, procedure, figures: the guidance never gives them
            return False
        if missing_answer(question, hits, self._retriever.vocabulary):
            return False  # a count or a difference the passages do not hold
        return self.rule.covers(max(h.similarity for h in hits), self._retriever.off_topic_similarity(question),
                                self._retriever.in_scope_probability(question), asks_for_fact(question))

    def unknown_terms(self, text: str) -> set[str]:
        return terms(text) - self._retriever.vocabulary


class ThresholdScope:
    """Covered when the best hit is at least `threshold` similar; `vocabulary` None knows every word."""

    def __init__(self, threshold: float, vocabulary: Iterable[str] | None = None) -> None:
        self.threshold = threshold
        self._vocabulary = None if vocabulary is None else frozenset().union(*map(terms, vocabulary))

    def covers(self, question: str, hits: list[Hit]) -> bool:
        return max((h.similarity for h in hits), default=0.0) >= self.threshold

    def unknown_terms(self, text: str) -> set[str]:
        return set() if self._vocabulary is None else terms(text) - self._vocabulary
