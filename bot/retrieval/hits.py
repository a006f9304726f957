"""What a search returns, and the one interface every feature retrieves through."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Hit:
    """One retrieved passage of the guidance, with what a reader needs to check it."""

    chunk_id: str
    text: str
    source: str  # stable document id, e.g. "tizard-leading-questions-2010"
    title: str
    citation: str  # short citation with the paragraph or section, e.g. 'Tizard (2010), "Leading questions", ¶4'
    heading: str  # heading path inside the document
    ref: str  # paragraph or section reference, e.g. "¶4" or "¶81"
    score: float  # fused rank score: higher is better, comparable only within one result list
    similarity: float  # cosine similarity of passage and question (dense model), 0..1 roughly
    flags: tuple[str, ...] = ()  # why ingest judged the passage unsafe to quote (bot.retrieval.planted)
    trusted: bool = False  # its document was marked `trusted: true` by an operator

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Retriever(Protocol):
    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None) -> list[Hit]:
        """Best passages first. `filters` match chunk metadata exactly, e.g. {"source": "..."}."""
        ...
