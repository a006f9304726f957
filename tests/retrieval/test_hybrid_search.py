"""Hybrid search over the bundled guidance."""

from __future__ import annotations

import pytest


def test_results_are_best_first_and_carry_what_a_reader_needs(guidance_retriever) -> None:
    hits = guidance_retriever.search("who should chair the local strategic partnership?", k=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        assert hit.text and hit.title and hit.citation and hit.source and hit.ref
        assert len(hit.text) <= 1000


@pytest.mark.parametrize("source", ["audit-commission-leadership", "four-fields-of-partnership-leadership"])
def test_a_source_filter_returns_only_that_document(guidance_retriever, source: str) -> None:
    hits = guidance_retriever.search("leadership in partnerships", k=5, filters={"source": source})
    assert hits and {h.source for h in hits} == {source}


def test_a_filter_that_matches_nothing_returns_nothing(guidance_retriever) -> None:
    assert guidance_retriever.search("leadership", k=5, filters={"source": "no-such-document"}) == []


@pytest.mark.parametrize(
    ("question", "source", "evidence"),
    [
        ("what are the four fields of partnership leadership?", "four-fields-of-partnership-leadership",
         "Leadership of the multi-sector partnership itself|Leadership outwith the local community"),
        ("can I hand over accountability for services when they are outsourced?",
         "tizard-politics-of-partnership-2008", "cannot be delegated or transferred"),
        ("what percentage of LSPs are chaired by someone from outside the council?",
         "audit-commission-leadership", "47 per cent"),
    ],
)
def test_plain_questions_find_the_passage_that_answers_them(guidance_retriever, question, source, evidence):
    top3 = guidance_retriever.search(question, k=3)
    assert any(h.source == source and any(e in h.text for e in evidence.split("|")) for h in top3)
