"""The one place where real dependencies are wired: settings in, ready services out."""

from __future__ import annotations

import logging
from functools import lru_cache

from bot.answering.answer import Answerer
from bot.answering.llm import LLMAnswerer
from bot.answering.offline import OfflineAnswerer
from bot.config import Settings, get_settings
from bot.retrieval.embeddings import build_embedder
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.store import IndexStore

log = logging.getLogger(__name__)


def build_retriever(settings: Settings | None = None) -> HybridRetriever:
    settings = settings or get_settings()
    embedder = build_embedder(settings)
    store = IndexStore.open_for_reading(settings.index_dir, embedder.name)
    return HybridRetriever(store, embedder)


@lru_cache(maxsize=1)
def retriever() -> HybridRetriever:
    """The process-wide retriever for the default settings (built on first use)."""
    return build_retriever()


def build_answerer(settings: Settings | None = None) -> Answerer:
    """The offline answerer: the engine every other answerer falls back to."""
    settings = settings or get_settings()
    offline = OfflineAnswerer(
        retriever() if settings is get_settings() else build_retriever(settings),
        k=settings.retrieval_k,
        max_question_chars=settings.max_question_chars,
    )
    return offline


def build_conversational_answerer(settings: Settings | None = None) -> LLMAnswerer:
    """What `coach ask` and `coach chat` talk to: the model when one is configured (turns kept in the
    database), else a pass-through to the offline answerer that still screens hostile requests."""
    from bot.answering.llm import build_llm_answerer
    from bot.answering.memory import DatabaseTurnStore, InMemoryTurnStore, TurnStore

    settings = settings or get_settings()
    offline = build_answerer(settings)
    turns: TurnStore = InMemoryTurnStore()
    if settings.llm_configured:
        from bot.storage import open_database

        turns = DatabaseTurnStore(open_database(settings))
    search = retriever() if settings is get_settings() else build_retriever(settings)
    return build_llm_answerer(settings, search, offline, turns=turns)


@lru_cache(maxsize=1)
def answerer() -> LLMAnswerer:
    return build_conversational_answerer()
