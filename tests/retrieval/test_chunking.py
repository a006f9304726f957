"""Chunks follow the document's structure and stay citeable."""

from __future__ import annotations

import pytest

from bot.paths import knowledge_dir
from bot.retrieval.chunking import MAX_CHARS, chunk_document, passage_sentences, split_sentences
from bot.retrieval.documents import Document, discover, load


def _doc(text: str, source: str = "doc") -> Document:
    return Document(source=source, title="Title", citation="Cite", text=text, path="/x", content_hash="0" * 64)


@pytest.mark.parametrize("path", sorted(p.name for p in discover([knowledge_dir()]) if p.suffix == ".md"))
def test_no_bundled_chunk_is_over_the_limit_and_each_carries_a_citation(path: str) -> None:
    chunks = chunk_document(load(knowledge_dir() / path))
    assert chunks
    for chunk in chunks:
        assert len(chunk.text) <= MAX_CHARS
        assert chunk.title and chunk.heading and chunk.ref
        assert chunk.citation.endswith(chunk.ref)


def test_a_long_paragraph_is_split_at_sentence_boundaries() -> None:
    sentence = "Partners must agree the outcomes they want to share. "
    chunks = chunk_document(_doc(sentence * 60))
    assert len(chunks) > 1
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.text.endswith(".") for c in chunks)


def test_a_run_on_text_without_sentence_breaks_is_still_cut_under_the_limit() -> None:
    chunks = chunk_document(_doc("word " * 2000))
    assert all(len(c.text) <= MAX_CHARS for c in chunks)


def test_sections_are_not_mixed_in_one_chunk_and_keep_their_heading_path() -> None:
    text = "# Title\n\nIntro paragraph here.\n\n## Case study\n\nThe case study text."
    chunks = chunk_document(_doc(text))
    assert [c.heading for c in chunks] == ["Title", "Title > Case study"]


def test_native_paragraph_numbers_are_used_for_citation() -> None:
    audit = load(knowledge_dir() / "audit-commission-leadership.md")
    refs = [c.ref for c in chunk_document(audit)]
    assert "¶81" in refs
    assert any(r.startswith("Case study 4") for r in refs)


def test_a_list_stays_with_its_lead_in_and_items_read_as_sentences() -> None:
    text = "The successful leader will have:\n\n- an ability to listen\n- patience to talk"
    [chunk] = chunk_document(_doc(text))
    assert chunk.text.startswith("The successful leader will have:")
    assert passage_sentences(chunk.text) == [
        "The successful leader will have an ability to listen.",
        "The successful leader will have patience to talk.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("They chair them (Ref. 16). Next.", ["They chair them (Ref. 16).", "Next."]),
        ("Partners, e.g. the police. Then more.", ["Partners, e.g. the police.", "Then more."]),
    ],
)
def test_sentence_splitting_respects_abbreviations(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
