"""The live collection's current records and their vectors, saved beside the embedded index by ingest: what a
retriever reads instead of opening Chroma.

Search runs in memory (bot.retrieval.hybrid), so Chroma was only needed to read the records once at start-up,
and importing it, opening the store and reading it left a serving worker about 60 MiB larger for good. Ingest
writes the snapshot after it publishes; any write to the collection first deletes it, so a snapshot is always of
a finished ingest, and one of another collection or model is ignored. Without one (an index from before this
file, an interrupted ingest, or a Chroma server) the records are read from Chroma as before.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from bot.retrieval.store import IndexRecords, IndexStore, StoredChunk, read_pointer

log = logging.getLogger(__name__)

SNAPSHOT_FILE = "records.npz"
FORMAT = 1


class IndexSnapshot:
    """The same reading interface as IndexStore (`current_records`, `vectors`), from the snapshot file."""

    url: str | None = None  # only the embedded index has a snapshot

    def __init__(self, index_dir: Path, records: dict[str, list[StoredChunk]], vectors: np.ndarray) -> None:
        self.index_dir = index_dir
        self._records = records
        self._vectors = vectors
        ids = [r.chunk_id for kind in records.values() for r in kind]
        self._row = {cid: i for i, cid in enumerate(ids)}

    def current_records(self) -> dict[str, list[StoredChunk]]:
        return {kind: list(records) for kind, records in self._records.items()}

    def current_chunks(self) -> list[StoredChunk]:
        return list(self._records.get("chunk", []))

    def vectors(self, ids: list[str]) -> np.ndarray:
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        return self._vectors[[self._row[cid] for cid in ids]]

    def count(self) -> int:
        return len(self._row)


def discard(index_dir: Path) -> None:
    """Forget the snapshot: called before the collection changes."""
    (index_dir / SNAPSHOT_FILE).unlink(missing_ok=True)


def write(store: IndexStore) -> None:
    """Save what `store` (the embedded, live collection) currently holds."""
    records = store.current_records()
    ids = [r.chunk_id for kind in records.values() for r in kind]
    vectors = store.vectors(ids) if ids else np.zeros((0, 0), dtype=np.float32)
    listed = {kind: [[r.chunk_id, r.text, r.metadata] for r in kind_records] for kind, kind_records in records.items()}
    path = store.index_dir / SNAPSHOT_FILE
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, format=np.array(FORMAT), collection=np.array(store.collection.name), model=np.array(store.model),
             records=np.array(json.dumps(listed)), vectors=vectors)
    tmp.replace(path)  # whole or not at all: a reader never sees half a file


def read(index_dir: Path, collection: str, model: str) -> IndexSnapshot | None:
    """The snapshot of `collection` built with `model`, or None when there is none for them."""
    path = index_dir / SNAPSHOT_FILE
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != FORMAT or str(data["collection"]) != collection or str(data["model"]) != model:
                return None
            listed: dict[str, list[list[Any]]] = json.loads(str(data["records"]))
            vectors = data["vectors"]
    except (OSError, ValueError, KeyError) as exc:
        log.warning("Ignoring an unreadable index snapshot at %s (%s); `coach ingest` writes it again.", path, exc)
        return None
    records = {kind: [StoredChunk(str(cid), str(text), dict(meta)) for cid, text, meta in rows]
               for kind, rows in listed.items()}
    return IndexSnapshot(index_dir, records, vectors)


def open_for_search(index_dir: Path, model: str, url: str | None = None) -> IndexRecords:
    """What a retriever reads: the snapshot of the live collection when ingest left one, else the collection
    (always, on a Chroma server). Missing or mismatched indexes fail as IndexStore.open_for_reading does."""
    if url is None:
        pointer = read_pointer(index_dir)
        if pointer is not None and pointer["embedding_model"] == model:
            snapshot = read(index_dir, pointer["collection"], model)
            if snapshot is not None:
                return snapshot
    return IndexStore.open_for_reading(index_dir, model, url)
