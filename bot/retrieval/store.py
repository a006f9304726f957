"""The embedded Chroma index: which collection is live, which model built it, which chunks are current.

Each document's chunks carry its content hash and chunk count. A changed document's new chunks are added
before the old ones are deleted, and readers only use complete versions, so an ingest interrupted at any
point leaves a usable index. `--rebuild` fills a fresh collection and switches the pointer file at the end.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.errors import EmbeddingModelMismatchError, IndexMissingError, IndexUnreadableError
from bot.private_files import private_dir

log = logging.getLogger(__name__)

POINTER_FILE = "index.json"


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, Any]


class IndexRecords(Protocol):
    """What a retriever reads: the live collection (IndexStore) or ingest's snapshot of it (bot.retrieval.snapshot)."""

    index_dir: Path
    url: str | None

    def current_records(self) -> dict[str, list[StoredChunk]]: ...

    def current_chunks(self) -> list[StoredChunk]: ...

    def vectors(self, ids: list[str]) -> Any: ...

    def count(self) -> int: ...


def _client(index_dir: Path, url: str | None = None) -> Any:
    if url:
        from bot.retrieval.chroma_server import http_client

        return http_client(url)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    path = index_dir / "chroma"
    try:
        return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as exc:  # a corrupt or unreadable store: Chroma raises its own types, and OSError
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise IndexUnreadableError(path, detail) from exc


class IndexStore:
    def __init__(self, index_dir: Path, collection: Any, model: str, url: str | None = None) -> None:
        self.index_dir = index_dir  # with a server (`url`), only this process's caches are kept here
        self.collection = collection
        self.model = model
        self.url = url

    # -- opening -----------------------------------------------------------------------------------------
    @classmethod
    def open_for_reading(cls, index_dir: Path, expected_model: str, url: str | None = None) -> IndexStore:
        """The live collection, embedded under `index_dir` or on the Chroma server at `url`."""
        client = _client(index_dir, url) if url else None
        pointer = _pointer(index_dir, client)
        if pointer is None:
            raise IndexMissingError(f"nothing at {_where(index_dir, url)}")
        if pointer["embedding_model"] != expected_model:
            raise EmbeddingModelMismatchError(pointer["embedding_model"], expected_model)
        client = client or _client(index_dir)
        try:
            collection = client.get_collection(pointer["collection"])
        except Exception as exc:  # Chroma raises several types for a missing or corrupt store
            raise IndexMissingError(str(exc)) from exc
        return cls(index_dir, collection, expected_model, url)

    @classmethod
    def open_for_writing(cls, index_dir: Path, model: str, rebuild: bool = False,
                         url: str | None = None) -> IndexStore:
        private_dir(index_dir.parent)
        private_dir(index_dir)
        client = _client(index_dir, url)
        pointer = _pointer(index_dir, client if url else None)
        if pointer and pointer["embedding_model"] != model and not rebuild:
            raise EmbeddingModelMismatchError(pointer["embedding_model"], model)
        if pointer and not rebuild:
            try:
                return cls(index_dir, client.get_collection(pointer["collection"]), model, url)
            except Exception:
                log.warning("The index pointer names a missing collection; building a new one.")
        name = f"guidance-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        collection = client.create_collection(
            name, metadata={"embedding_model": model}, configuration={"hnsw": {"space": "cosine"}}
        )
        store = cls(index_dir, collection, model, url)
        store._pending_pointer = pointer is None or rebuild
        return store

    _pending_pointer = False

    def publish(self) -> None:
        """Make this collection the live one (atomic rename) and drop any collection it replaces."""
        if not self._pending_pointer:
            return
        client = _client(self.index_dir, self.url) if self.url else None
        old = _pointer(self.index_dir, client)
        if client is not None:
            from bot.retrieval.chroma_server import write_pointer

            write_pointer(client, self.collection.name, self.model)
        else:
            tmp = self.index_dir / (POINTER_FILE + ".tmp")
            tmp.write_text(json.dumps({"collection": self.collection.name, "embedding_model": self.model}))
            tmp.replace(self.index_dir / POINTER_FILE)
        self._pending_pointer = False
        if old and old["collection"] != self.collection.name:
            try:
                (client or _client(self.index_dir)).delete_collection(old["collection"])
            except Exception:
                log.warning("Could not delete the replaced collection %s", old["collection"])

    # -- reading -----------------------------------------------------------------------------------------
    def all_chunks(self) -> list[StoredChunk]:
        got = self.collection.get(include=["documents", "metadatas"])
        return [
            StoredChunk(cid, doc or "", dict(meta or {}))
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def documents(self) -> dict[str, dict[str, Any]]:
        """source -> {hash, path, complete: bool, ids: [...], stale_ids: [...]}; see `current_chunks`."""
        versions: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        info: dict[tuple[str, str], dict[str, Any]] = {}
        got = self.collection.get(include=["metadatas"])
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            meta = meta or {}
            key = (str(meta.get("source")), str(meta.get("doc_hash")))
            versions[key[0]][key[1]].append(cid)
            info[key] = meta
        result: dict[str, dict[str, Any]] = {}
        for source, by_hash in versions.items():
            complete = [h for h, ids in by_hash.items() if len(ids) == _expected_records(info[(source, h)])]
            # Newest complete version wins; ingestion time breaks ties between two complete versions.
            best = max(complete, key=lambda h: float(info[(source, h)].get("ingested_at", 0)), default=None)
            result[source] = {
                "hash": best,
                "path": info[(source, best)].get("path") if best else None,
                "ids": by_hash[best] if best else [],
                "stale_ids": [cid for h, ids in by_hash.items() if h != best for cid in ids],
            }
        return result

    def current_records(self) -> dict[str, list[StoredChunk]]:
        """Records of the live document versions by kind: passages ("chunk"), authored questions ("question")."""
        current = {cid for doc in self.documents().values() for cid in doc["ids"]}
        by_kind: dict[str, list[StoredChunk]] = {"chunk": [], "question": []}
        for record in self.all_chunks():
            if record.chunk_id in current:
                by_kind.setdefault(str(record.metadata.get("kind", "chunk")), []).append(record)
        return by_kind

    def current_chunks(self) -> list[StoredChunk]:
        return self.current_records()["chunk"]

    def vectors(self, ids: list[str]) -> Any:
        import numpy as np

        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self.collection.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([by_id[cid] for cid in ids], dtype=np.float32)

    def count(self) -> int:
        """Every record in the collection, stale versions included."""
        return int(self.collection.count())

    # -- writing -----------------------------------------------------------------------------------------
    def _changing(self) -> None:
        if self.url is None:  # a snapshot of the records would no longer be of them (ingest writes a new one)
            from bot.retrieval import snapshot

            snapshot.discard(self.index_dir)

    def add(self, ids: list[str], texts: list[str], embeddings: Any, metadatas: list[dict[str, Any]]) -> None:
        self._changing()
        self.collection.add(ids=ids, documents=texts, embeddings=embeddings, metadatas=metadatas)

    def delete(self, ids: list[str]) -> None:
        self._changing()
        for start in range(0, len(ids), 1000):
            self.collection.delete(ids=ids[start : start + 1000])


def _expected_records(meta: dict[str, Any]) -> int:
    return int(meta.get("record_count", meta.get("chunk_count", -1)))


def _pointer(index_dir: Path, server: Any | None) -> dict[str, str] | None:
    """The live collection's name and model: kept on the Chroma server when there is one, else in a file."""
    if server is not None:
        from bot.retrieval.chroma_server import read_pointer

        return read_pointer(server)
    return _read_pointer(index_dir)


def _where(index_dir: Path, url: str | None) -> str:
    if url:
        from bot.retrieval.chroma_server import where

        return where(url)
    return str(index_dir)


def read_pointer(index_dir: Path) -> dict[str, str] | None:
    """The embedded index's live collection and model, None when there is no index."""
    return _read_pointer(index_dir)


def _read_pointer(index_dir: Path) -> dict[str, str] | None:
    path = index_dir / POINTER_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        return {"collection": str(data["collection"]), "embedding_model": str(data["embedding_model"])}
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexMissingError(f"{path} is corrupt ({exc})") from exc
