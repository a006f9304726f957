"""What every answerer returns, whatever produced it."""

from __future__ import annotations

from collections.abc import Generator, Iterator
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


class AnswerStream:
    """Text pieces as they arrive; once iteration ends, `.answer` is the final, checked Answer.

    Streamed text is provisional (the checks may change it): callers show the pieces live, then replace
    them with `.answer`. An answer that was not streamed (offline) yields no pieces at all.
    """

    def __init__(self, steps: Generator[str, None, Answer]) -> None:
        self._steps = steps
        self._answer: Answer | None = None

    @classmethod
    def whole(cls, answer: Answer) -> AnswerStream:
        """A stream of an answer made all at once: no pieces, then the answer."""
        def steps() -> Generator[str, None, Answer]:
            return answer
            yield  # a generator that yields nothing

        return cls(steps())

    def __iter__(self) -> Iterator[str]:
        self._answer = yield from self._steps

    @property
    def answer(self) -> Answer:
        if self._answer is None:
            for _ in self:  # not iterated (or not to the end): finish quietly
                pass
        assert self._answer is not None
        return self._answer


class Answerer(Protocol):
    """What the CLI, Slack and the evals talk to: one question at a time, in a conversation kept per person.

    `conversation_id` and `user_id` together key the memory: a conversation id someone else used is, for this
    person, a new conversation.
    """

    def answer(self, question: str, conversation_id: str | None = None, *, user_id: str | None = None) -> Answer:
        ...

    def stream(self, question: str, conversation_id: str | None = None, *,
               user_id: str | None = None) -> AnswerStream: ...


class StandaloneAnswerer(Protocol):
    """Answers one question on its own, with no memory: the offline engine every answerer falls back to."""

    def answer(self, question: str) -> Answer: ...
