"""What every answerer returns, whatever produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from bot.retrieval.hits import Hit

Mode = Literal["offline", "llm", "fallback", "declined"]


@dataclass(frozen=True)
class Citation:
    number: int  # the [n] used in the answer text
    hit: Hit

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "source": self.hit.source,
            "title": self.hit.title,
            "citation": self.hit.citation,
            "ref": self.hit.ref,
            "text": self.hit.text,
        }


@dataclass(frozen=True)
class Answer:
    text: str  # the answer, with [n] markers pointing at `citations`
    citations: list[Citation]
    covered: bool  # False when the guidance does not cover the question (a plain decline)
    mode: Mode
    reflective_question: str | None = None
    attribute_id: str | None = None  # the leadership attribute the reflective question is about
    exercise_id: str | None = None  # the reflective exercise the answer offers (knowledge/exercises/<id>.yaml)
    notice: str | None = None  # one-line notice, e.g. "the LLM is unavailable; offline answer"
    meta: dict[str, Any] = field(default_factory=dict)  # timings, prompt versions, token usage

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "covered": self.covered,
            "mode": self.mode,
            "reflective_question": self.reflective_question,
            "attribute_id": self.attribute_id,
            "exercise_id": self.exercise_id,
            "notice": self.notice,
        }


class Answerer(Protocol):
    def answer(self, question: str) -> Answer: ...
