"""A small answerer for tests that are about Slack, not about answering."""

from __future__ import annotations

from bot.answering.answer import Answer, AnswerStream, Citation
from bot.retrieval.hits import Hit

HIT = Hit(chunk_id="c1", text="Leaders of partnerships rely on influence rather than control. " * 3,
          source="tizard-leading-questions-2010", title="Leading questions", citation="Tizard (2010), ¶4",
          heading="Influence", ref="¶4", score=1.0, similarity=0.8)


class EchoAnswerer:
    """Answers with the question in it, so tests can see how user text comes out in Slack; answers all at once,
    as the offline answerer does. `asked` records which conversation and person each question came from."""

    def __init__(self, sentences: int = 1) -> None:
        self.questions: list[str] = []
        self.asked: list[tuple[str, str | None, str | None]] = []
        self.sentences = sentences

    def answer(self, question: str, conversation_id: str | None = None, *, user_id: str | None = None) -> Answer:
        self.questions.append(question)
        self.asked.append((question, conversation_id, user_id))
        body = " ".join(f"On '{question}': lead through influence, not control. [1]" for _ in range(self.sentences))
        return Answer(text=body, citations=[Citation(1, HIT)], covered=True, mode="offline",
                      reflective_question="Where are you relying on control?", attribute_id="influence")

    def stream(self, question: str, conversation_id: str | None = None, *,
               user_id: str | None = None) -> AnswerStream:
        return AnswerStream.whole(self.answer(question, conversation_id, user_id=user_id))


class StreamingAnswerer:
    """Shaped like bot.answering.llm.LLMAnswerer: `stream()` yields pieces, then `.answer` is the checked one."""

    def __init__(self, deltas: list[str], final_text: str | None = None) -> None:
        self.deltas = deltas
        self.final_text = final_text
        self.calls: list[tuple[str, str | None, str | None]] = []

    def answer(self, question: str, conversation_id: str | None = None, *, user_id: str | None = None) -> Answer:
        raise AssertionError("the Slack layer should stream when it can")

    def stream(self, question: str, conversation_id: str | None = None, *,
               user_id: str | None = None) -> _Stream:
        self.calls.append((question, conversation_id, user_id))
        final = Answer(text=self.final_text or "".join(self.deltas), citations=[Citation(1, HIT)], covered=True,
                       mode="llm")
        return _Stream(self.deltas, final)


class _Stream:
    def __init__(self, deltas: list[str], final: Answer) -> None:
        self._deltas = deltas
        self._final = final
        self.done = False

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield from self._deltas
        self.done = True

    @property
    def answer(self) -> Answer:
        assert self.done, "the final answer is read after the pieces"
        return self._final
