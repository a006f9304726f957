"""The offline answerer: an extractive answer from the guidance, no LLM needed.

It quotes what in the retrieved passages answers the question (bot/answering/composition.py: sentences with
what they point back to, whole lists when a list is asked for, nothing below a relevance floor), cites each
quote, and ends with a reflective question and an exercise that fit the question and the answer. When retrieval
is not confident the guidance covers the question, or the passages only share its words, it says so.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import numpy as np

from bot.answering.answer import Answer
from bot.answering.answerability import asks_for_fact, missing_answer, missing_answer_decline
from bot.answering.attribute_link import AttributeLinker
from bot.answering.composition import MAX_WORDS, Composer, written_anchors
from bot.answering.coverage import DEFAULT_RULE, CoverageRule
from bot.answering.near_miss import HELP_WITH, near_miss_decline, outside_guidance
from bot.answering.question import clean_question
from bot.answering.reflection_choice import ReflectionChooser
from bot.answering.screening import usable_passages
from bot.retrieval.hits import Hit
from bot.retrieval.hybrid import HybridRetriever

__all__ = ["DECLINE", "HELP_WITH", "MAX_WORDS", "OfflineAnswerer"]

DECLINE = f"The partnership leadership guidance I draw on does not cover that, so I won't guess. {HELP_WITH}"


class OfflineAnswerer:
    def __init__(self, retriever: HybridRetriever, k: int = 5, rule: CoverageRule = DEFAULT_RULE,
                 max_question_chars: int = 2000, trusted_documents: Collection[str] | None = None,
                 knowledge_dir: Path | None = None) -> None:
        """`knowledge_dir` holds the written questions whose anchors guide sentence choice (the bundled
        guidance when None); `trusted_documents` None means none (the composition root passes the settings')."""
        self._retriever = retriever
        self._k = k
        self.rule = rule
        self.threshold = rule.threshold
        self._max_chars = max_question_chars
        self.linker = AttributeLinker(retriever)
        self.trusted_documents: Collection[str] = trusted_documents if trusted_documents is not None else ()
        self._composer = Composer(retriever, rule.threshold, written_anchors(knowledge_dir))
        self._reflection = ReflectionChooser(retriever)

    def answer(self, question: str) -> Answer:
        question, notice = clean_question(question, self._max_chars)
        if kind := outside_guidance(question):  # law, procedure, figures, today's facts: never in the guidance
            return Answer(text=near_miss_decline(kind), citations=[], covered=False, mode="declined",
                          notice=notice, meta={"near_miss": kind})
        qv = self._retriever.embed_query(question)
        hits = self._retriever.search(question, k=self._k, query_vector=qv)
        hits = usable_passages(hits, self.trusted_documents)  # planted or flagged text is never quoted
        if not self.covers(qv, hits, asks_fact=asks_for_fact(question)):
            return Answer(text=DECLINE, citations=[], covered=False, mode="declined", notice=notice,
                          meta={"top_similarity": max((h.similarity for h in hits), default=0.0)})
        if lacking := missing_answer(question, hits, self._retriever.vocabulary):
            return Answer(text=missing_answer_decline(lacking), citations=[], covered=False, mode="declined",
                          notice=notice, meta={"top_similarity": hits[0].similarity, "missing_answer": lacking})
        composed = self._composer.compose(question, qv, hits)
        if composed is None:  # the passages share the question's words but say nothing to it: a near miss
            return Answer(text=DECLINE, citations=[], covered=False, mode="declined", notice=notice,
                          meta={"top_similarity": hits[0].similarity, "near_miss": True})
        reflection = self._reflection.choose(qv, composed.quoted)
        return Answer(
            text=composed.text,
            citations=composed.citations,
            covered=True,
            mode="offline",
            reflective_question=reflection.question,
            attribute_id=reflection.attribute_id,
            exercise_id=reflection.exercise_id,
            notice=notice,
            meta={"top_similarity": hits[0].similarity, "named_only": composed.named_only},
        )

    def covers(self, question: str | np.ndarray, hits: list[Hit], asks_fact: bool = False) -> bool:
        """Whether these hits for this question (text or vector) are the guidance answering it; `asks_fact`: the
        question asks for a fact rather than advice (bot.answering.answerability.asks_for_fact)."""
        if not hits:
            return False
        return self.rule.covers(max(h.similarity for h in hits), self._retriever.off_topic_similarity(question),
                                self._retriever.in_scope_probability(question), asks_fact)
