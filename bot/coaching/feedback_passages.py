"""Which guidance passages the closing feedback shows, why, and from where in each passage.

Chosen by meaning: the gist of the person's answers (their words less those most of the guidance uses) is
embedded once and set against every passage (its closest sentence), with the exercise's subject, the guidance
sentences it quotes, as a second pull so the passages stay on it; passages the exercise already quotes are left
out. Words the person shares with a passage count only when they are rare in the guidance (inverse document
frequency over the indexed passages): "partner", "board" or "member" appear in much of it and say nothing about
why a passage fits. The reason names the answer whose rare words the excerpt shows, in plain words, or says the
passage is the closest in meaning to the answers together. Excerpts start where a sentence does."""

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
# The answers are embedded as their gists: their words that are not generic in the guidance, this many in all.
GIST_WORDS = 40
# A word the person shares with a passage counts when at most this share of the passages use it.
RARE_SHARE = 0.12
THEME_WEIGHT = 0.5  # the exercise's subject against the answers' own pull
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
    themes: dict[str, np.ndarray]  # exercise id -> its subject's vector (the same for everyone)


_corpora: weakref.WeakKeyDictionary[Any, _Corpus] = weakref.WeakKeyDictionary()


def _corpus(index: MeaningIndex) -> _Corpus:
    found = _corpora.get(index)
    if found is None:
        each = [terms(text) for text in index.passage_texts]
        count = Counter(t for words in each for t in words)
        n = max(len(each), 1)
        found = _Corpus(each, {t: math.log(n / c) for t, c in count.items()}, math.log(1 / RARE_SHARE), {})
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


def gist(text: str, corpus: _Corpus, words: int = 14) -> str:
    """The answer's words less those most of the guidance uses ("partnership", "local", "the"), in order, up to
    GIST_WORDS; words the guidance never uses ("ICB", "fly-tipping") are kept, they are the person's own."""
    common = corpus.rare / 3  # used by more than about half the passages
    kept = [w for w in _WORD.findall(text) if (stems := terms(w)) and all(corpus.idf.get(t, 9.0) > common
                                                                           for t in stems)]
    return " ".join((kept if len(kept) >= 3 else text.split())[:words])


def has_meaning_index(retriever: object) -> bool:
    return all(hasattr(retriever, name) for name in ("passage_similarities", "passage_hit", "passage_texts",
                                                    "embedder", "sentence_vectors", "embed_query"))


def choose(index: MeaningIndex, exercise: Exercise, answers: Sequence[Reflection], k: int = 3) -> list[Chosen]:
    """Up to k passages for what the person wrote, on the exercise's subject, each with why and an excerpt."""
    said = [(a.step_id, flat(a.answer)) for a in answers if a.answer and a.answer.strip()]
    if not said:
        return []
    corpus = _corpus(index)
    # One embedding of every answer's gist, an even share each: the model's run is most of the feedback's time
    # and costs about the same for one text of 40 words as for one of 10, so the answers go in together.
    share = max(4, GIST_WORDS // len(said))
    vector = index.embedder.embed([" ".join(gist(text, corpus, share) for _, text in said)])[0]
    if exercise.id not in corpus.themes:
        corpus.themes[exercise.id] = _theme(index, exercise)
    meaning = index.passage_similarities(np.vstack([vector, corpus.themes[exercise.id]]))
    # Each column as a z-score over the passages, so that the answers and the subject weigh as intended.
    spread = meaning.std(axis=0)
    standing = (meaning - meaning.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    rare = [distinctive_words(text, corpus) for _, text in said]
    shared = np.array([[sum(corpus.idf[t] for t in words if t in passage) for words in rare]
                       for passage in corpus.terms], dtype=np.float32).reshape(len(corpus.terms), len(said))
    # a rare word in common nudges; meaning decides
    score = (1 - THEME_WEIGHT) * (standing[:, 0] + 0.03 * shared.max(axis=1)) + THEME_WEIGHT * standing[:, 1]
    recaps = {s.id: (s.recap or s.prompt.rstrip("?")).lower() for s in exercise.steps}
    quoted = [_plain(p.quote)[:60] for p in exercise.passages]
    chosen: list[Chosen] = []
    for row in np.argsort(-score, kind="stable"):
        hit = index.passage_hit(int(row), float(score[row]), float(meaning[row, 0]))
        if hit.flags or any(q and q in _plain(hit.text) for q in quoted):
            continue  # unsafe to quote (ingest's judgement), or already shown as what the exercise draws on
        best = int(np.argmax(shared[row]))
        excerpt = _excerpt(index, hit.text, vector)
        shown = terms(excerpt)  # a word is given as the reason only where the person can see it
        words = [w for t, w in rare[best].items() if t in shown and _says_what_about(w)]
        reason = _reason(recaps.get(said[best][0], "this"), words) if words else (
            "Chosen as the passage closest in meaning to your answers taken together, on this exercise's subject.")
        chosen.append(Chosen(hit, reason, excerpt))
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
    """The exercise's subject: the guidance sentences it quotes. The quotes are verbatim, so those sentences'
    vectors were computed at ingest and nothing is embedded here (embedding the title and summary instead added
    about 11 ms of CPU to each exercise's first feedback). Without any of them in the index: title and summary."""
    quotes = [_plain(p.quote.strip("…. ")) for p in exercise.passages]
    sentences = [key for text in index.passage_texts for _, key in _sentences(text)]
    quoted = [key for key in sentences if (plain := _plain(key)) and any(plain in q or q in plain for q in quotes)]
    theme = (index.sentence_vectors.vectors(quoted).mean(axis=0) if quoted
             else index.embed_query(f"{exercise.title} {exercise.summary}"))
    return np.asarray(theme / (np.linalg.norm(theme) or 1.0), dtype=np.float32)


def _reason(recap: str, words: list[str]) -> str:
    listed = ", ".join(f"‘{w}’" for w in words[:3])
    return f"Chosen for what you wrote on {recap}: it is close to it in meaning and, like you, speaks of {listed}."


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
