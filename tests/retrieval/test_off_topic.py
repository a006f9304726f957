"""Examples of what the guidance does not cover are indexed beside it, so a question can be compared with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.ingest import ingest
from bot.retrieval.store import IndexStore
from tests.retrieval.test_ingest import HashingEmbedder, _write

EXAMPLES = 'questions:\n  - "What is the quorum for full council?"\n  - "How do I reset my VPN password?"\n'


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "alpha", "Partnership is a means and not an end.")
    (folder / "off_topic.yaml").write_text(EXAMPLES)
    return folder


def _retriever(index: Path, embedder: HashingEmbedder | None = None) -> HybridRetriever:
    embedder = embedder or HashingEmbedder()
    return HybridRetriever(IndexStore.open_for_reading(index, embedder.name), embedder)


def test_a_question_is_measured_against_its_nearest_off_topic_example(corpus: Path, tmp_path: Path) -> None:
    ingest([corpus], tmp_path / "index", HashingEmbedder())
    retriever = _retriever(tmp_path / "index")
    assert retriever.off_topic_similarity("What is the quorum for full council?") == pytest.approx(1.0)
    assert retriever.off_topic_similarity("partnership means") < 0.5


def test_without_examples_nothing_counts_as_off_topic(corpus: Path, tmp_path: Path) -> None:
    (corpus / "off_topic.yaml").unlink()
    ingest([corpus], tmp_path / "index", HashingEmbedder())
    assert _retriever(tmp_path / "index").off_topic_similarity("What is the quorum for full council?") == -1.0


def test_examples_are_embedded_again_only_when_they_change(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest([corpus], index, HashingEmbedder())
    unchanged = HashingEmbedder()
    ingest([corpus], index, unchanged)
    assert unchanged.calls == 0
    (corpus / "off_topic.yaml").write_text(EXAMPLES + '  - "When are the bins collected?"\n')
    changed = HashingEmbedder()
    ingest([corpus], index, changed)
    assert changed.calls == 1
    assert _retriever(index).off_topic_similarity("When are the bins collected?") == pytest.approx(1.0)


def test_ingesting_one_more_file_keeps_the_examples(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest([corpus], index, HashingEmbedder())
    extra = tmp_path / "extra"
    extra.mkdir()
    ingest([_write(extra, "beta", "Leaders must let go.")], index, HashingEmbedder())
    assert _retriever(index).off_topic_similarity("How do I reset my VPN password?") == pytest.approx(1.0)


def test_a_broken_examples_file_is_reported_and_the_examples_before_it_kept(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest([corpus], index, HashingEmbedder())
    (corpus / "off_topic.yaml").write_text("questions: [unclosed\n")
    _write(corpus, "alpha", "Partnership is a means and not an end; add value.")
    report = ingest([corpus], index, HashingEmbedder())
    assert report.updated == ["alpha"]
    assert any("off_topic.yaml" in problem for problem in report.failed)
    assert _retriever(index).off_topic_similarity("How do I reset my VPN password?") == pytest.approx(1.0)
