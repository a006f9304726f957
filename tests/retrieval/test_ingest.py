"""Ingestion is incremental, refuses to mix embedding models, and never leaves the index unusable."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import numpy as np
import pytest

from bot.errors import EmbeddingModelMismatchError, IndexMissingError
from bot.paths import knowledge_dir
from bot.retrieval.embeddings import Embedder, LocalEmbedder
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.ingest import ingest
from bot.retrieval.store import IndexStore

DOC = "---\ntitle: \"{title}\"\nsource_id: \"{source}\"\n---\n# {title}\n\n{body}\n"


class HashingEmbedder:
    """A deterministic stand-in model: cheap, and distinguishable by name from the real one."""

    def __init__(self, name: str = "test/hashing", fail_after: int | None = None) -> None:
        self.name = name
        self.calls = 0
        self._fail_after = fail_after

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self._fail_after is not None and self.calls > self._fail_after:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-ingest
        rows = []
        for text in texts:
            v = np.zeros(64, dtype=np.float32)
            for word in text.lower().split():
                v[zlib.crc32(word.encode()) % 64] += 1  # hash() changes per process (PYTHONHASHSEED)
            rows.append(v / max(np.linalg.norm(v), 1e-9))
        return np.stack(rows)


def _write(folder: Path, source: str, body: str) -> Path:
    path = folder / f"{source}.md"
    path.write_text(DOC.format(title=source.title(), source=source, body=body))
    return path


def _sources(index_dir: Path, embedder: Embedder) -> dict[str, str | None]:
    store = IndexStore.open_for_reading(index_dir, embedder.name)
    return {s: d["hash"] for s, d in store.documents().items()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "alpha", "Partnership is a means and not an end.")
    _write(folder, "beta", "Leaders must let go and allow others to lead.")
    return folder


def test_unchanged_documents_are_skipped_changed_replaced_and_removed_deleted(corpus: Path, tmp_path: Path) -> None:
    index, embedder = tmp_path / "index", HashingEmbedder()
    first = ingest([corpus], index, embedder)
    assert sorted(first.added) == ["alpha", "beta"]

    again = ingest([corpus], index, embedder)
    assert sorted(again.unchanged) == ["alpha", "beta"] and again.chunks_written == 0

    _write(corpus, "alpha", "Partnership is a means. Only collaborate when it adds value.")
    (corpus / "beta.md").unlink()
    changed = ingest([corpus], index, embedder)
    assert changed.updated == ["alpha"] and changed.removed == ["beta"]
    retriever = HybridRetriever(IndexStore.open_for_reading(index, embedder.name), embedder)
    assert len(retriever) == 1
    assert "adds value" in retriever.search("collaborate value", k=1)[0].text


def test_an_unreadable_file_is_reported_and_the_others_still_ingested(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    report = ingest([corpus], tmp_path / "index", HashingEmbedder())
    assert sorted(report.added) == ["alpha", "beta"]
    assert len(report.failed) == 1 and "broken.pdf" in report.failed[0]
    assert report.usable


def test_a_file_that_becomes_unreadable_keeps_its_previous_version(corpus: Path, tmp_path: Path) -> None:
    index, embedder = tmp_path / "index", HashingEmbedder()
    ingest([corpus], index, embedder)
    (corpus / "beta.md").write_bytes(b"")
    report = ingest([corpus], index, embedder)
    assert report.removed == [] and "beta" in _sources(index, embedder)


def test_nothing_ingestable_is_not_usable(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.md").write_text("")
    assert not ingest([folder], tmp_path / "index", HashingEmbedder()).usable


def test_an_index_built_by_another_model_is_refused_with_a_reingest_hint(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest([corpus], index, HashingEmbedder("model-a"))
    with pytest.raises(EmbeddingModelMismatchError, match="ingest --rebuild"):
        ingest([corpus], index, HashingEmbedder("model-b"))
    with pytest.raises(EmbeddingModelMismatchError):
        IndexStore.open_for_reading(index, "model-b")
    rebuilt = ingest([corpus], index, HashingEmbedder("model-b"), rebuild=True)
    assert sorted(rebuilt.added) == ["alpha", "beta"]
    assert set(_sources(index, HashingEmbedder("model-b"))) == {"alpha", "beta"}


def test_an_interrupted_ingest_leaves_the_previous_index_usable(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest([corpus], index, HashingEmbedder())
    before = _sources(index, HashingEmbedder())
    _write(corpus, "alpha", "A new version of alpha about risk management.")
    _write(corpus, "beta", "A new version of beta about vision.")
    with pytest.raises(KeyboardInterrupt):
        ingest([corpus], index, HashingEmbedder(fail_after=1))  # alpha written, beta interrupted
    after = _sources(index, HashingEmbedder())
    assert after["beta"] == before["beta"]
    retriever = HybridRetriever(IndexStore.open_for_reading(index, "test/hashing"), HashingEmbedder())
    assert len(retriever) == 2  # one complete version of each document, no duplicates


def test_a_missing_or_corrupt_index_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="coach ingest"):
        IndexStore.open_for_reading(tmp_path / "nowhere", "m")
    (tmp_path / "corrupt").mkdir()
    (tmp_path / "corrupt" / "index.json").write_text("{not json")
    with pytest.raises(IndexMissingError, match="coach ingest"):
        IndexStore.open_for_reading(tmp_path / "corrupt", "m")


@pytest.mark.slow
def test_the_bundled_guidance_ingests_with_the_local_model(tmp_path: Path) -> None:
    shutil.copytree(knowledge_dir(), tmp_path / "k")
    embedder = LocalEmbedder()
    report = ingest([tmp_path / "k"], tmp_path / "index", embedder)
    assert len(report.added) == 5 and not report.failed
    assert (tmp_path / "index" / "sentence_vectors.npz").exists()


def test_authored_questions_index_a_passage_under_users_words_and_editing_them_reindexes(
    corpus: Path, tmp_path: Path
) -> None:
    index, embedder = tmp_path / "index", HashingEmbedder()
    (corpus / "questions.yaml").write_text(
        "alpha:\n  - anchor: means and not an end\n    questions: [\"why bother with joint boards at all\"]\n"
    )
    first = ingest([corpus], index, embedder)
    assert sorted(first.added) == ["alpha", "beta"]
    retriever = HybridRetriever(IndexStore.open_for_reading(index, embedder.name), embedder)
    assert len(retriever) == 2  # authored questions are an index, not passages
    assert retriever.search("joint boards bother", k=1)[0].source == "alpha"

    (corpus / "questions.yaml").write_text(
        "alpha:\n  - anchor: means and not an end\n    questions: [\"is the steering group worth it\"]\n"
    )
    again = ingest([corpus], index, embedder)
    assert again.updated == ["alpha"] and again.unchanged == ["beta"]


def test_a_malformed_questions_file_is_reported_and_documents_still_ingested(corpus: Path, tmp_path: Path) -> None:
    (corpus / "questions.yaml").write_text("alpha: [unclosed")
    report = ingest([corpus], tmp_path / "index", HashingEmbedder())
    assert sorted(report.added) == ["alpha", "beta"]
    assert any("questions.yaml" in f for f in report.failed)


def test_a_question_asked_again_is_not_embedded_again_and_finds_the_same_passages(corpus: Path,
                                                                                  tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest([corpus], index, HashingEmbedder())
    embedder = HashingEmbedder()
    retriever = HybridRetriever(IndexStore.open_for_reading(index, embedder.name), embedder)
    calls_at_start = embedder.calls
    first = retriever.search("risk management", k=2)
    second = retriever.search("risk management", k=2)
    assert embedder.calls == calls_at_start + 1
    assert first == second
    retriever.clear_query_cache()
    retriever.search("risk management", k=2)
    assert embedder.calls == calls_at_start + 2
