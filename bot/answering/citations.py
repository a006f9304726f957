"""Numbered passages for the prompt, and the checks on what the model wrote with them.

After generation every sentence is held to account: citation numbers that point at no passage are removed,
a cited sentence must share words with what it cites, a sentence with no citation is dropped unless it is the
coaching question. An answer left with no cited sentence is not an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answering.answer import Citation
from bot.answering.guards import as_data, remove_planted_instructions
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import terms

_MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])*(?:\s+|$)|\n+")
MIN_SUPPORT = 0.2  # share of a sentence's content words found in what it cites; a paraphrase clears it easily
GROUNDED_SUPPORT = 0.5  # the stricter bar the evaluation's groundedness proxy uses


def number_passages(hits: list[Hit]) -> str:
    """The passages as the prompt shows them: numbered, attributed, and unable to break out of their tags."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        text = as_data(remove_planted_instructions(hit.text))
        blocks.append(f"[{n}] {as_data(hit.citation)}\n{text}")
    return "\n\n".join(blocks)


@dataclass
class CheckedText:
    text: str  # the kept sentences, citations renumbered 1..n in order of first use
    citations: list[Citation]
    reflective_question: str | None
    removed_numbers: list[int] = field(default_factory=list)  # [n] pointing at no passage
    dropped_sentences: list[str] = field(default_factory=list)  # uncited or unsupported

    @property
    def grounded(self) -> bool:
        return bool(self.citations)


def split_sentences(text: str) -> list[str]:
    """Sentences with their trailing citation markers kept attached."""
    return [sentence for sentence, _ in _sentences(text)]


def _sentences(text: str) -> list[tuple[str, bool]]:
    # Each sentence with whether it starts a line, so lists and paragraphs keep their shape when checked.
    parts: list[tuple[str, bool]] = []
    start, new_line = 0, True
    for match in _SENTENCE_END.finditer(text):
        parts.append((text[start : match.end()].strip(), new_line))
        start, new_line = match.end(), "\n" in match.group()
    parts.append((text[start:].strip(), new_line))
    return [(p, line) for p, line in parts if p]


def cited_numbers(sentence: str) -> list[int]:
    return [int(n) for group in _MARKER.findall(sentence) for n in group.split(",")]


def support(sentence: str, passages: list[str]) -> float:
    """Share of the sentence's content words that its cited passages contain."""
    words = terms(_MARKER.sub("", sentence))
    if not words:
        return 0.0
    return len(words & terms(" ".join(passages))) / len(words)


def claims(text: str) -> tuple[list[tuple[str, list[int], bool]], list[str]]:
    """Sentences paired with the citation numbers that cover them (and whether each starts a line), and the
    uncited sentences after the last citation. A citation covers the uncited sentences just before it too
    ("A. B [1]." cites [1] for both)."""
    paired: list[tuple[str, list[int], bool]] = []
    pending: list[tuple[str, bool]] = []
    for sentence, starts_line in _sentences(text):
        numbers = cited_numbers(sentence)
        bare = _MARKER.sub("", sentence).strip()
        if not numbers:
            pending.append((bare, starts_line))
            continue
        paired += [(p, numbers, line) for p, line in pending if not p.endswith("?")] + [(bare, numbers, starts_line)]
        pending = []
    return paired, [p for p, _ in pending]


def check_citations(text: str, hits: list[Hit], min_support: float = MIN_SUPPORT) -> CheckedText:
    renumber: dict[int, int] = {}
    kept: list[str] = []
    removed: list[int] = []
    dropped: list[str] = []
    paired, trailing = claims(text)
    for bare, numbers, starts_line in paired:
        valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= len(hits)]
        removed += [n for n in numbers if not 1 <= n <= len(hits)]
        if not bare or not valid or support(bare, [hits[n - 1].text for n in valid]) < min_support:
            dropped.append(bare)
            continue
        marks = "".join(f" [{renumber.setdefault(n, len(renumber) + 1)}]" for n in valid)
        kept.append(("\n" if starts_line and kept else " ") + _with_marks(bare, marks))
    questions = [t for t in trailing if t.endswith("?")]
    dropped += [t for t in trailing if not t.endswith("?")]
    citations = [Citation(number=new, hit=hits[old - 1]) for old, new in renumber.items()]
    return CheckedText("".join(kept).strip(), citations, questions[-1] if questions else None, removed, dropped)


def _with_marks(sentence: str, marks: str) -> str:
    # Markers go before the closing full stop, as the offline answerer writes them: "… outcomes [1]."
    if sentence[-1:] in ".!":
        return sentence[:-1].rstrip() + marks + sentence[-1]
    return sentence + marks


def grounded_share(text: str, citations: list[Citation]) -> float:
    """Evaluation proxy for groundedness: the share of answer sentences mostly made of their cited passages' words."""
    by_number = {c.number: c.hit.text for c in citations}
    paired, trailing = claims(text)
    sentences = [(s, n) for s, n, _ in paired if s] + [(t, []) for t in trailing if not t.endswith("?")]
    if not sentences:
        return 0.0
    good = 0
    for sentence, numbers in sentences:
        cited = [by_number[n] for n in numbers if n in by_number]
        good += bool(cited) and support(sentence, cited) >= GROUNDED_SUPPORT
    return good / len(sentences)
