"""The one place where real dependencies are wired: settings in, ready services out."""

from __future__ import annotations

import logging
from functools import lru_cache

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
