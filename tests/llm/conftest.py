"""Fixtures: the fake OpenAI server, settings pointing the real clients at it, a small retriever and fallback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.answering.answer import Answer, Citation, StandaloneAnswerer
from bot.answering.llm import LLMAnswerer
from bot.answering.memory import InMemoryTurnStore, TurnStore
from bot.answering.scope import ThresholdScope
from bot.config import Settings, get_settings
from bot.llm.breaker import CircuitBreaker
from bot.llm.provider import build_chat_model
from bot.retrieval.hits import Hit, Retriever
from tests.llm.fake_openai import FakeOpenAI
from tests.storage.databases import database_url, db  # noqa: F401  (SQLite always, PostgreSQL when configured)

PASSAGES = [
    "A successful partnership leader shares a vision with partners and avoids dominating the partnership.",
    "Accountability for public money cannot be delegated to a partnership board; each partner stays answerable.",
    "Leaders should ask why the partnership exists and what it is for before adding new structures.",
]


def hit(n: int, text: str, similarity: float = 0.7) -> Hit:
    return Hit(f"c{n}", text, f"doc-{n}", f"Doc {n}", f"Doc {n} (2010), ¶{n}", "Heading", f"¶{n}", 1.0 / n,
               similarity)


class FakeRetriever:
    """Returns the scripted passages; similarity is high unless the question is about something else."""

    def __init__(self, passages: list[str] | None = None, similarity: float = 0.7) -> None:
        self.passages = passages or PASSAGES
        self.similarity = similarity
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None) -> list[Hit]:
        self.queries.append(query)
        return [hit(i, t, self.similarity) for i, t in enumerate(self.passages[:k], 1)]


class FakeOffline:
    threshold = 0.4

    def __init__(self, covered: bool = True) -> None:
        self.covered = covered
        self.questions: list[str] = []

    def answer(self, question: str) -> Answer:
        self.questions.append(question)
        if not self.covered:
            return Answer("The guidance does not cover that.", [], covered=False, mode="declined")
        return Answer(f"{PASSAGES[0]} [1]", [Citation(1, hit(1, PASSAGES[0]))], covered=True, mode="offline",
                      reflective_question="What is your partnership for?")


def llm_answerer(retriever: Retriever, chat_model: object, fallback: StandaloneAnswerer, settings: Settings, *,
                 turns: TurnStore | None = None, breaker: CircuitBreaker | None = None) -> LLMAnswerer:
    """The answerer over test doubles: covered when the best passage is at least 0.4 similar (as FakeOffline)."""
    return LLMAnswerer(retriever, chat_model, fallback, scope=ThresholdScope(FakeOffline.threshold), linker=None,  # type: ignore[arg-type]
                       turns=turns, settings=settings, breaker=breaker)


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def llm_settings(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The real clients read the endpoint from the environment, as in production.
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    monkeypatch.setenv("COACH_LLM_TIMEOUT", "1.0")
    monkeypatch.setenv("COACH_LLM_MAX_RETRIES", "2")
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def make_answerer(llm_settings: Settings):  # type: ignore[no-untyped-def]
    def make(retriever: FakeRetriever | None = None, fallback: FakeOffline | None = None,
             breaker: CircuitBreaker | None = None, turns: InMemoryTurnStore | None = None,
             settings: Settings | None = None) -> LLMAnswerer:
        settings = settings or llm_settings
        return llm_answerer(retriever or FakeRetriever(), build_chat_model(settings), fallback or FakeOffline(),
                            settings, turns=turns if turns is not None else InMemoryTurnStore(), breaker=breaker)

    return make
