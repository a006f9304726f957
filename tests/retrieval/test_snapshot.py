"""Retrievers read ingest's snapshot of the live records instead of opening Chroma, and only a snapshot of what
the index holds now: any change to the collection discards it, and one of another collection is ignored."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.retrieval.hits import Hit
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.ingest import ingest
from bot.retrieval.snapshot import SNAPSHOT_FILE, IndexSnapshot, open_for_search
from bot.retrieval.store import IndexRecords, IndexStore
from tests.retrieval.test_ingest import HashingEmbedder, _write


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "alpha", "Partnership is a means and not an end. Only collaborate when it adds value.")
    _write(folder, "beta", "Leaders must let go and allow others to lead.")
    (folder / "questions.yaml").write_text(
        "alpha:\n  - anchor: means and not an end\n    questions: [\"why bother with joint boards at all\"]\n")
    return folder


def _read_like_a_retriever(embedder: HashingEmbedder, store: IndexRecords) -> tuple[list[list[Hit]], np.ndarray]:
    retriever = HybridRetriever(store, embedder)
    hits = [retriever.search(q, k=2) for q in ("joint boards bother", "let others lead", "adds value")]
    return hits, retriever._facets


def test_after_an_ingest_a_retriever_reads_the_snapshot_and_finds_what_chroma_would(tmp_path: Path) -> None:
    index, embedder = tmp_path / "index", HashingEmbedder()
    ingest([_corpus(tmp_path)], index, embedder)
    snapshot = open_for_search(index, embedder.name)
    assert isinstance(snapshot, IndexSnapshot)
    chroma = IndexStore.open_for_reading(index, embedder.name)
    assert snapshot.current_records() == chroma.current_records()
    from_snapshot, from_chroma = (_read_like_a_retriever(embedder, s) for s in (snapshot, chroma))
    assert from_snapshot[0] == from_chroma[0]
    assert np.array_equal(from_snapshot[1], from_chroma[1])


def test_an_interrupted_ingest_leaves_no_snapshot_and_the_next_one_writes_it_again(tmp_path: Path) -> None:
    index, corpus = tmp_path / "index", _corpus(tmp_path)
    ingest([corpus], index, HashingEmbedder())
    _write(corpus, "alpha", "A new version of alpha about risk management.")
    _write(corpus, "beta", "A new version of beta about vision.")
    with pytest.raises(KeyboardInterrupt):
        ingest([corpus], index, HashingEmbedder(fail_after=1))  # alpha written, beta interrupted
    store = open_for_search(index, "test/hashing")
    assert isinstance(store, IndexStore)  # read from Chroma: the new alpha is there, the snapshot had the old
    assert "risk management" in " ".join(c.text for c in store.current_chunks())

    ingest([corpus], index, HashingEmbedder())
    again = open_for_search(index, "test/hashing")
    assert isinstance(again, IndexSnapshot)
    assert sorted(c.text for c in again.current_chunks()) == sorted(
        c.text for c in IndexStore.open_for_reading(index, "test/hashing").current_chunks())


def test_a_snapshot_of_a_replaced_collection_is_ignored(tmp_path: Path) -> None:
    index, corpus = tmp_path / "index", _corpus(tmp_path)
    ingest([corpus], index, HashingEmbedder())
    shutil.copy(index / SNAPSHOT_FILE, tmp_path / "old.npz")
    _write(corpus, "gamma", "Shared outcomes need shared data.")
    ingest([corpus], index, HashingEmbedder(), rebuild=True)  # a new collection, then the pointer moves to it
    shutil.copy(tmp_path / "old.npz", index / SNAPSHOT_FILE)
    store = open_for_search(index, "test/hashing")
    assert isinstance(store, IndexStore)
    assert "gamma" in {c.metadata["source"] for c in store.current_chunks()}


def test_an_unreadable_snapshot_is_ignored(tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest([_corpus(tmp_path)], index, HashingEmbedder())
    (index / SNAPSHOT_FILE).write_bytes(b"not a snapshot")
    store = open_for_search(index, "test/hashing")
    assert isinstance(store, IndexStore) and len(store.current_chunks()) >= 2
