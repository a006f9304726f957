"""Which guidance passages the closing feedback shows, why, and from where in each passage.

Chosen by meaning: each of the person's answers is embedded and set against every passage (its closest
sentence), with the exercise's subject as a second, lighter pull so the passages stay on it. Words the
person shares with a passage count only when they are rare in the guidance (inverse document frequency over
the indexed passages): "partner", "board" or "member" appear in much of it and say nothing about why a
passage fits. The reason given names the answer the passage was chosen for, in plain words."""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from bot.coaching.exercises import Exercise
from bot.coaching.feedback_text import clipped, flat
from bot.coaching.model import Reflection
from bot.retrieval.chunking import passage_sentences
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import terms

EXCERPT_CHARS = 360  # what is shown of a passage, from the start of its best sentence
ANSWER_WORDS = 40  # each answer is embedded up to this many words: embedding is most of the feedback's time
# A word the person shares with a passage counts when at most this share of the passages use it.
RARE_SHARE = 0.12
THEME_WEIGHT = 0.4  # the exercise's subject against the answers' own pull (0.6)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LEANS_BACK = re.compile(r"^(?:this|these|that|those|they|it|such|however|and|but|so|both|there)\b", re.I)
_ATTRIBUTION = re.compile(r"^[—–]\s+\S")
_FRAGMENT = re.compile(r"^(?:[—–-]\s|\d+\.?$|\(?ref\b|source:)", re.I)


class MeaningIndex(Protocol):
    """What HybridRetriever offers beyond search: the passages, and their closeness to given vectors."""

    passage_texts: list[str]
    embedder: Any
    sentence_vectors: Any

    def passage_similarities(self, vectors: np.ndarray) -> np.ndarray: ...

    def passage_hit(self, row: int, score: float = 0.0, similarity: float = 0.0) -> Hit: ...

    def embed_query(self, query: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Chosen:
    hit: Hit
    reason: str
    excerpt: str


@dataclass(frozen=True)
class _Corpus:
    terms: list[set[str]]  # stemmed content words of each passage
    idf: dict[str, float]
    rare: float  # the idf a word needs to count as distinctive


_corpora: weakref.WeakKeyDictionary[Any, _Corpus] = weakref.WeakKeyDictionary()


def _corpus(index: MeaningIndex) -> _Corpus:
    found = _corpora.get(index)
    if found is None:
        each = [terms(text) for text in index.passage_texts]
        count = Counter(t for words in each for t in words)
        n = max(len(each), 1)
        found = _Corpus(each, {t: math.log(n / c) for t, c in count.items()}, math.log(1 / RARE_SHARE))
        _corpora[index] = found
    return found


def distinctive_words(text: str, corpus: _Corpus) -> dict[str, str]:
    """The person's words that are rare in the guidance, stem -> the word as they wrote it."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text):
        word = word.strip("'’-")
        for stem in terms(word):
            if corpus.idf.get(stem, 0.0) >= corpus.rare:
                found.setdefault(stem, word)
    return found


def has_meaning_index(retriever: object) -> bool:
    return all(hasattr(retriever, name) for name in ("passage_similarities", "passage_hit", "passage_texts",
                                                    "embedder", "sentence_vectors", "embed_query"))


def choose(index: MeaningIndex, exercise: Exercise, answers: Sequence[Reflection], k: int = 3) -> list[Chosen]:
    """Up to k passages for what the person wrote, on the exercise's subject, each with why and an excerpt."""
    said = [(a.step_id, flat(a.answer)) for a in answers if a.answer and a.answer.strip()]
    if not said:
        return []
    corpus = _corpus(index)
    vectors = index.embedder.embed([" ".join(text.split()[:ANSWER_WORDS]) for _, text in said])
    meaning = index.passage_similarities(np.vstack([vectors, _theme(index, exercise)[None, :]]))
    # Each column as a z-score over the passages: a short, general answer ("the venue") is close to
    # everything, and would otherwise choose every passage and be named as the reason for all of them.
    spread = meaning.std(axis=0)
    standing = (meaning - meaning.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    by_answer, on_theme = standing[:, :-1], standing[:, -1]
    rare = [distinctive_words(text, corpus) for _, text in said]
    shared = np.array([[sum(corpus.idf[t] for t in words if t in passage) for words in rare]
                       for passage in corpus.terms], dtype=np.float32).reshape(len(corpus.terms), len(said))
    fit = by_answer + 0.05 * shared  # a rare word in common nudges; meaning decides
    # The answers together (one strongly matched answer, and how the passage sits with all of them), then the
    # exercise's subject.
    score = (1 - THEME_WEIGHT) * (fit.max(axis=1) + fit.mean(axis=1)) / 2 + THEME_WEIGHT * on_theme
    recaps = {s.id: (s.recap or s.prompt.rstrip("?")).lower() for s in exercise.steps}
    quoted = [_plain(p.quote)[:60] for p in exercise.passages]
    chosen: list[Chosen] = []
    for row in np.argsort(-score, kind="stable"):
        hit = index.passage_hit(int(row), float(score[row]), float(meaning[row, :-1].max()))
        if hit.flags or any(q and q in _plain(hit.text) for q in quoted):
            continue  # unsafe to quote (ingest's judgement), or already shown as what the exercise draws on
        best = int(np.argmax(fit[row]))
        step_id, _ = said[best]
        words = [w for t, w in rare[best].items() if t in corpus.terms[row] and _says_what_about(w)]
        chosen.append(Chosen(hit, _reason(recaps.get(step_id, "this"), words),
                             _excerpt(index, hit.text, vectors[best])))
        if len(chosen) == k:
            break
    return chosen


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _says_what_about(word: str) -> bool:
    """A word that says what a passage is about (a thing, a group, a place), not how something went: verb
    forms and adverbs are left out of the reason even when rare in the guidance."""
    lower = word.lower()
    return len(lower) > 3 and not lower.endswith(("ed", "ing", "ly"))


def _theme(index: MeaningIndex, exercise: Exercise) -> np.ndarray:
    """The exercise's subject: its title and summary with the passages it quotes (each vector cached)."""
    parts = [index.embed_query(f"{exercise.title} {exercise.summary}")]
    parts.extend(index.sentence_vectors.vectors([p.quote for p in exercise.passages]))
    theme = np.mean(parts, axis=0)
    return theme / (np.linalg.norm(theme) or 1.0)


def _reason(recap: str, words: list[str]) -> str:
    why = f"Chosen for what you wrote on {recap}: it is the passage closest to it in meaning"
    if words:
        listed = ", ".join(f"‘{w}’" for w in words[:3])
        why = f"Chosen for what you wrote on {recap}: it is close to it in meaning and, like you, speaks of {listed}"
    return why + "."


def clean_sentences(text: str) -> list[str]:
    """The passage's sentences without paragraph numbers, attributions ("— Police district commander") or
    reference marks, so that an excerpt starts where a sentence does."""
    return [shown for shown, _ in _sentences(text)]


def _sentences(text: str) -> list[tuple[str, str]]:
    """(as shown, as indexed): the indexed sentence has its vector computed at ingest."""
    kept: list[tuple[str, str]] = []
    for sentence in passage_sentences(text):
        if _ATTRIBUTION.match(sentence) and kept:
            kept[-1] = (f"{kept[-1][0]} {sentence}", kept[-1][1])  # a quote keeps who said it
        elif not _FRAGMENT.match(sentence) and len(sentence) > 15:
            kept.append((sentence, sentence))
    return kept


def _excerpt(index: MeaningIndex, text: str, answer: np.ndarray) -> str:
    pairs = _sentences(text)
    if not pairs:
        return clipped(text, EXCERPT_CHARS)
    sentences = [shown for shown, _ in pairs]
    indexed = [key for _, key in pairs]
    start = int(np.argmax(index.sentence_vectors.vectors(indexed) @ answer)) if len(sentences) > 1 else 0
    if start > 0 and _LEANS_BACK.match(sentences[start]):
        start -= 1  # "This behaviour must be avoided." needs the sentence before it (one is enough)
    return excerpt_from(sentences, start)


def excerpt_from(sentences: list[str], start: int) -> str:
    """From sentence `start`, whole sentences up to EXCERPT_CHARS (the first cut at a clause if it is longer);
    starting early enough that a short passage is shown whole."""
    while start > 0 and sum(len(s) + 1 for s in sentences[start - 1:]) <= EXCERPT_CHARS:
        start -= 1
    shown = sentences[start]
    for sentence in sentences[start + 1:]:
        if len(shown) + 1 + len(sentence) > EXCERPT_CHARS:
            break
        shown += " " + sentence
    if len(shown) > EXCERPT_CHARS:
        return clipped(shown, EXCERPT_CHARS)
    return shown + (" …" if shown != " ".join(sentences[start:]) else "")
