"""Checks on a question before any work is done with it."""

from __future__ import annotations

import unicodedata

from bot.errors import InvalidInputError


def clean_question(question: str, max_chars: int) -> tuple[str, str | None]:
    """The question ready to search with, and a notice if it had to be shortened.

    Control characters are dropped (they only confuse tokenisers); an empty question is an error. Invisible
    format characters (zero-width spaces, soft hyphens) are removed without a space: they sit inside words,
    and splitting "ig\u200bnore" into two words would hide it from the screens.
    """
    if not isinstance(question, str):
        raise InvalidInputError("The question must be text.", field="question")
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
                   else "" if unicodedata.category(ch) == "Cf" else " " for ch in question)
    text = " ".join(text.split())
    if not text:
        raise InvalidInputError("The question is empty: ask something about leading partnerships.",
                                field="question")
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
        return text, f"Your question was long, so I used only its first {len(text):,} characters."
    return text, None
