"""A fresh deployment builds its own index: `coach serve` on an empty data directory must start, not exit.

Only a missing index is built here (no pointer file at all); a corrupt one, or one built with another model,
is still an error that names its fix, because rebuilding it silently could hide a real problem.
"""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.retrieval.ingest import IngestReport
from bot.retrieval.store import POINTER_FILE

log = logging.getLogger(__name__)


def index_missing(settings: Settings) -> bool:
    return not (settings.index_dir / POINTER_FILE).exists()


def ensure_index(settings: Settings) -> IngestReport | None:
    """Build the index from the knowledge folder when there is none; None when one was already there."""
    if not index_missing(settings):
        return None
    from bot.paths import knowledge_dir
    from bot.retrieval.embeddings import build_embedder
    from bot.retrieval.ingest import ingest

    source = settings.knowledge_dir or knowledge_dir()
    log.warning("no search index at %s: building it from %s", settings.index_dir, source)
    return ingest([source], settings.index_dir, build_embedder(settings), max_bytes=settings.max_document_bytes)
