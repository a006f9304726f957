"""Answer-level measures: what the reader sees, not what the retriever found.

A retrieval hit can hold the gold evidence while the answer quotes some other sentence of it. These measures
read the answer text itself: does it state the gold evidence fact, and does it carry sentences from no passage
the gold set counts as relevant (a proxy for filler; the judged leaders' set is the human measure).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.answering.answer import Answer
from bot.evaluation.gold import GoldQuestion, GoldSet, is_relevant

_MARKER = re.compile(r"\[\d{1,3}(?:\s*,\s*\d{1,3})*\]")


def _words(text: str) -> str:
    """Lower-case words only: punctuation, list bullets, quote marks and citation markers do not count."""
    text = _MARKER.sub(" ", text).replace("’", "'").replace("‘", "'")
    return " ".join(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower()))


def states_fact(answer_text: str, question: GoldQuestion) -> bool:
    """The answer text itself contains one of the gold evidence passages' facts (word for word, punctuation aside)."""
    said = f" {_words(answer_text)} "
    return any(f" {_words(e.evidence)} " in said for e in question.relevant)


def off_gold_sentences(answer: Answer, question: GoldQuestion) -> list[str]:
    """Answer sentences whose cited passage holds none of the gold evidence: candidates for filler."""
    by_number = {c.number: c.hit.text for c in answer.citations}
    out = []
    for sentence, numbers in re.findall(r"(.+?)((?:\s*\[\d+\])+)(?:[.!?])?(?:\s+|$)", answer.text):
        cited = [by_number.get(int(n)) for n in re.findall(r"\d+", numbers)]
        if not any(p is not None and is_relevant(p, question) for p in cited):
            out.append(sentence.strip())
    return out


@dataclass
class AnswerFacts:
    questions: int
    answered: int
    fact_in_answer: float  # share of in-scope questions whose answer text states the gold evidence
    fact_in_citations: float  # ... whose cited passages contain it (what retrieval-level scores credit)
    with_off_gold_sentence: float  # share of answered questions with a sentence from no relevant passage
    out_of_scope: int
    declined_out_of_scope: float
    missing: list[str] = field(default_factory=list)  # ids whose answer text lacks the fact
    wrongly_declined: list[str] = field(default_factory=list)
    wrongly_answered: list[str] = field(default_factory=list)


def score_answers(answer: Callable[[str], Answer], gold: GoldSet,
                  only: Iterable[str] | None = None) -> AnswerFacts:
    keep = set(only) if only is not None else None
    questions = [q for q in gold.questions if keep is None or q.id in keep]
    stated = cited = off = answered = 0
    missing, wrongly_declined = [], []
    for q in questions:
        a = answer(q.question)
        if not a.covered:
            wrongly_declined.append(q.id)
            missing.append(q.id)
            continue
        answered += 1
        if states_fact(a.text, q):
            stated += 1
        else:
            missing.append(q.id)
        cited += any(is_relevant(c.hit.text, q) for c in a.citations)
        off += bool(off_gold_sentences(a, q))
    wrongly_answered = [q.id for q in gold.out_of_scope if answer(q.question).covered]
    n, m = len(questions), len(gold.out_of_scope)
    return AnswerFacts(
        questions=n, answered=answered,
        fact_in_answer=stated / n if n else 0.0,
        fact_in_citations=cited / n if n else 0.0,
        with_off_gold_sentence=off / answered if answered else 0.0,
        out_of_scope=m, declined_out_of_scope=(m - len(wrongly_answered)) / m if m else 0.0,
        missing=missing, wrongly_declined=wrongly_declined, wrongly_answered=wrongly_answered,
    )
