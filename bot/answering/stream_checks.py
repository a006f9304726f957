"""Releasing a model's streamed answer sentence by sentence, each only once it has passed the checks the final
answer gets (citations, leaks, mentions, links), so nothing unchecked is ever shown.

The checks are a function of the text so far (cut at the last sentence end). Because the final answer is the
same function of the whole text, what is released is a prefix of it, and the caller only needs to replace the
streamed text in the rare case the two diverge (or a check stops the stream: a leak, code).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A sentence ends at . ! or ? followed by space (and any citation markers), or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?])(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])*\s+|\n+")

# Text so far -> its checked form, or None when the stream must stop (the answer will be refused).
Check = Callable[[str], str | None]


class SentenceGate:
    def __init__(self, check: Check) -> None:
        self._check = check
        self._raw = ""
        self._checked_upto = 0
        self.released = ""  # everything let through so far
        self.stopped = False

    def feed(self, piece: str) -> str:
        """Add streamed text; return what may be shown now (often nothing until a sentence ends)."""
        self._raw += piece
        cut = max((m.end() for m in _BOUNDARY.finditer(self._raw, self._checked_upto)), default=0)
        return self._release(self._raw[:cut]) if cut > self._checked_upto else ""

    def finish(self) -> str:
        """The stream is over: release what the checks keep of the last sentence."""
        return self._release(self._raw)

    def _release(self, text: str) -> str:
        if self.stopped:
            return ""
        self._checked_upto = len(text)
        checked = self._check(text)
        if checked is None or not checked.startswith(self.released):
            self.stopped = True  # refused, or the checks rewrote what is already shown: the final answer replaces it
            return ""
        new, self.released = checked[len(self.released):], checked
        return new
