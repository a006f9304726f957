"""A small answerer for tests that are about Slack, not about answering."""

from __future__ import annotations

from bot.answering.answer import Answer, Citation
from bot.retrieval.hits import Hit

HIT = Hit(chunk_id="c1", text="Leaders of partnerships rely on influence rather than control. " * 3,
          source="tizard-leading-questions-2010", title="Leading questions", citation="Tizard (2010), ¶4",
          heading="Influence", ref="¶4", score=1.0, similarity=0.8)


class EchoAnswerer:
    """Answers with the question in it, so tests can see how user text comes out in Slack."""

    def __init__(self, sentences: int = 1) -> None:
        self.questions: list[str] = []
        self.sentences = sentences

    def answer(self, question: str) -> Answer:
        self.questions.append(question)
        body = " ".join(f"On '{question}': lead through influence, not control. [1]" for _ in range(self.sentences))
        return Answer(text=body, citations=[Citation(1, HIT)], covered=True, mode="offline",
                      reflective_question="Where are you relying on control?", attribute_id="influence")


class StreamingAnswerer:
    """Streams deltas like an LLM answerer, then yields the final Answer (which a guard may have changed)."""

    def __init__(self, deltas: list[str], final_text: str | None = None) -> None:
        self.deltas = deltas
        self.final_text = final_text

    def answer(self, question: str) -> Answer:
        raise AssertionError("the Slack layer should stream when it can")

    def stream_answer(self, question: str):  # type: ignore[no-untyped-def]
        yield from self.deltas
        yield Answer(text=self.final_text or "".join(self.deltas), citations=[Citation(1, HIT)], covered=True,
                     mode="llm")
