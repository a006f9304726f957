"""Splitting text for Block Kit's size limits without separating a sentence from its citation."""

from __future__ import annotations

import re

from bot.slack.limits import SECTION_TEXT as SECTION_LIMIT

CITATION = re.compile(r"^\[\d+\][.,;:]?$")
# A sentence with the citation markers that follow it: "… partners. [2] [3]"
_UNIT = re.compile(r"\S.*?(?:[.!?…](?:\s*\[\d+\])*(?=\s|$)|$)", re.S)


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, broken between sentences where possible, never before a
    citation marker (so "[3]" always stays with the sentence it supports) and never inside a word."""
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for unit in (u.strip() for u in _UNIT.findall(text)):
        for part in _split_long(unit, limit) if len(unit) > limit else [unit]:
            joined = f"{current} {part}" if current else part
            if len(joined) <= limit:
                current = joined
            else:
                pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _split_long(unit: str, limit: int) -> list[str]:
    words: list[str] = []
    for word in unit.split():
        if words and CITATION.match(word):
            words[-1] += " " + word  # a marker is glued to the word before it
        else:
            words.append(word)
    parts: list[str] = []
    current = ""
    for word in words:
        while len(word) > limit:  # one enormous "word": nothing better than a hard cut
            parts.append(word[:limit])
            word = word[limit:]
        joined = f"{current} {word}" if current else word
        if len(joined) <= limit:
            current = joined
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return parts


def excerpt(text: str, max_chars: int = 220) -> str:
    """The start of a passage, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    cut = flat.rfind(" ", 0, max_chars)
    return flat[: cut if cut > max_chars // 2 else max_chars].rstrip(",;:") + "…"
