"""The one place where real dependencies are wired: settings in, ready services out."""

from __future__ import annotations

import logging
from functools import lru_cache

from bot.answering.answer import Answerer
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
    """The offline answerer; the LLM answerer wraps it when a model is configured."""
    settings = settings or get_settings()
    offline = OfflineAnswerer(
        retriever() if settings is get_settings() else build_retriever(settings),
        k=settings.retrieval_k,
        max_question_chars=settings.max_question_chars,
    )
    return offline


@lru_cache(maxsize=1)
def answerer() -> Answerer:
    return build_answerer()
