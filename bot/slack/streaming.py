"""Turning an answerer's output into streamed pieces of safe Slack markdown.

An answerer may stream: `stream_answer(question) -> Iterator[str | Answer]` yields text deltas and, last,
the complete Answer. Otherwise its whole answer is streamed sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from bot.answering.answer import Answer
from bot.answering.guards import escape_for_slack
from bot.slack.blocks.answer import answer_markdown, reflection_markdown


class AnswerStream:
    """Iterate for escaped markdown pieces; `answer` is set once the iteration is over."""

    def __init__(self, answerer: Any, question: str) -> None:
        self.answer: Answer | None = None
        self.streamed = ""  # the raw text streamed so far, to compare with the final answer
        self._source: Iterable[str | Answer] = (
            answerer.stream_answer(question) if hasattr(answerer, "stream_answer") else [answerer.answer(question)])

    def __iter__(self) -> Iterator[str]:
        pending = ""
        for item in self._source:
            if isinstance(item, Answer):
                self.answer = item
                if not self.streamed:  # a whole answer: stream it sentence by sentence
                    self.streamed = item.text
                    yield from sentences(answer_markdown(item))
                    return
                break
            self.streamed += item
            pending += item
            # Escape only whole words: "@chan" + "nel" must not slip through as two harmless halves.
            cut = max(pending.rfind(" "), pending.rfind("\n"))
            if cut >= 0:
                yield escape_for_slack(pending[: cut + 1])
                pending = pending[cut + 1 :]
        if pending:
            yield escape_for_slack(pending)
        if self.answer is not None and self.answer.reflective_question:
            yield "\n\n" + reflection_markdown(self.answer)

    @property
    def changed(self) -> bool:
        """True when the final answer's text is not what was streamed."""
        return self.answer is not None and self.answer.text.strip() != self.streamed.strip()


def sentences(text: str) -> Iterator[str]:
    start = 0
    for match in re.finditer(r"(?<=[.!?\]])\s+", text):
        yield text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield text[start:]
