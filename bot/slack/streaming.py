"""Turning an answerer's stream into pieces of safe Slack markdown.

The answerer (bot.answering.answer.Answerer) yields text as a model writes it, then `.answer` is the checked
Answer; an answer made all at once (offline) yields nothing, and is streamed here sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from bot.answering.answer import Answer, Answerer
from bot.slack.blocks.answer import answer_markdown, reflection_markdown
from bot.slack.escaping import escape_for_slack


class AnswerStream:
    """Iterate for escaped markdown pieces; `answer` is set once the iteration is over."""

    def __init__(self, answerer: Answerer, question: str, conversation_id: str | None, user_id: str | None) -> None:
        self.answer: Answer | None = None
        self.streamed = ""  # the raw text streamed so far, to compare with the final answer
        self._live: Any = answerer.stream(question, conversation_id, user_id=user_id)

    def __iter__(self) -> Iterator[str]:
        yield from self._escaped(self._live)
        self.answer = self._live.answer
        if not self.streamed and self.answer is not None:  # no model streamed (offline): the whole answer
            self.streamed = self.answer.text
            yield from sentences(answer_markdown(self.answer))
        elif self.answer is not None and self.answer.reflective_question:
            yield "\n\n" + reflection_markdown(self.answer)

    def _escaped(self, deltas: Iterable[str]) -> Iterator[str]:
        pending = ""
        for delta in deltas:
            self.streamed += delta
            pending += delta
            # Escape only whole words: "@chan" + "nel" must not slip through as two harmless halves.
            cut = max(pending.rfind(" "), pending.rfind("\n"))
            if cut >= 0:
                yield escape_for_slack(pending[: cut + 1])
                pending = pending[cut + 1 :]
        if pending:
            yield escape_for_slack(pending)

    @property
    def changed(self) -> bool:
        """True when the final answer's text is not what was streamed (the checks changed it)."""
        return self.answer is not None and self.answer.text.strip() != self.streamed.strip()


def sentences(text: str) -> Iterator[str]:
    start = 0
    for match in re.finditer(r"(?<=[.!?\]])\s+", text):
        yield text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield text[start:]
