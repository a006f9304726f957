"""Faithful quoting: an exercise's quote is verbatim from its source and is either whole sentences or marks
its cuts with an ellipsis ("…"), so that nobody reads a half-sentence as if it were the author's whole point.

Sources are Markdown; each line is a paragraph, a list item or a quotation, and a line's start and end are
sentence boundaries too (a list item is quoted whole even when it has no full stop).
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter

ELLIPSES = ("…", "...")
# What opens a line without being text: list bullets, quotation marks, paragraph numbers such as **81.**
_LINE_MARKUP = re.compile(r"^(?:[-*>#]+\s*|\*\*\d+\.\*\*\s*)+")
_SENTENCE_END = re.compile(r"[.?!:;][’'\"”)]*$")


def _flat(text: str) -> str:
    return " ".join(text.replace("*", "").replace("_", " ").split()).lower()


def source_lines(path: Path) -> list[str]:
    """The document body, one flattened line per paragraph or list item."""
    body = frontmatter.load(path).content
    lines = (_flat(_LINE_MARKUP.sub("", line.strip())) for line in body.splitlines())
    return [line for line in lines if line]


def _strip_marks(quote: str) -> tuple[bool, str, bool]:
    text = quote.strip()
    cut_start, cut_end = text.startswith(ELLIPSES), text.endswith(ELLIPSES)
    text = re.sub(r"^(?:…|\.\.\.)|(?:…|\.\.\.)$", "", text)
    return cut_start, text.strip(), cut_end


def quote_problem(quote: str, lines: list[str]) -> str | None:
    """Why `quote` is not faithful to the source `lines`, or None when it is."""
    cut_start, text, cut_end = _strip_marks(quote)
    parts = [_flat(part) for part in re.split(r"\s*(?:…|\.\.\.)\s*", text) if part.strip()]
    if not parts:
        return "is empty"
    for line in lines:
        start = line.find(parts[0])
        if start < 0:
            continue
        end, found = start + len(parts[0]), True
        for part in parts[1:]:  # a cut inside the quote: the rest follows later in the same paragraph
            at = line.find(part, end)
            if at < 0:
                found = False
                break
            end = at + len(part)
        if not found:
            continue
        if not cut_start and start > 0 and not _SENTENCE_END.search(line[:start].rstrip()):
            return "starts mid-sentence without a leading '…'"
        if not cut_end and end < len(line) and not _SENTENCE_END.search(line[:end]):
            return "stops mid-sentence without a trailing '…'"
        return None
    return "is not verbatim in the source"
