"""The offline answerer quotes the guidance with citations, or declines plainly when it is not covered."""

from __future__ import annotations

import re

import pytest

from bot.answering.offline import DECLINE, MAX_WORDS
from bot.errors import InvalidInputError
from bot.retrieval.chunking import passage_sentences

IN_SCOPE = [
    "How do I stop our LSP looking like it's run by the council?",
    "Should we set up a partnership at all, or just commission the work ourselves?",
    "What accountability stays with me as council leader if services are outsourced?",
    "What qualities does a good partnership leader need?",
]
OUT_OF_SCOPE = [
    "What's a good recipe for a vegetarian lasagne?",
    "Who won the FA Cup in 1990?",
    "Write me a Python function to reverse a linked list",
]


@pytest.mark.parametrize("question", IN_SCOPE)
def test_an_in_scope_question_gets_a_short_cited_answer_and_a_reflective_question(offline_answerer, question):
    answer = offline_answerer.answer(question)
    assert answer.covered and answer.mode == "offline"
    assert len(re.sub(r"\[\d+\]", "", answer.text).split()) <= MAX_WORDS + 40  # one long sentence may overrun
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert numbers == {c.number for c in answer.citations}, "every marker points at a listed source and back"
    for citation in answer.citations:
        assert citation.hit.citation and citation.hit.text
    assert answer.reflective_question and answer.reflective_question.endswith("?")
    assert answer.attribute_id


def test_every_answer_sentence_is_quoted_from_the_passage_it_cites(offline_answerer):
    from bot.evaluation.gold import load_gold

    for question in [q.question for q in load_gold().questions] + IN_SCOPE:
        answer = offline_answerer.answer(question)
        if answer.meta.get("named_only"):
            continue  # says in the coach's words that the guidance names something it does not list
        passages = {c.number: c.hit.text for c in answer.citations}
        for quoted, number in quotes(answer.text):
            as_read = {s.rstrip(".") for s in passage_sentences(passages[number])}  # items with their lead-in
            items = [_flat(line[2:]).rstrip(" ;,.") for line in passages[number].split("\n") if line.startswith("- ")]
            with_lead_before = any(_flat(quoted).endswith(item) for item in items)  # lead-in in the passage before
            assert quoted in as_read or _flat(quoted) in _flat(passages[number]) or with_lead_before, (question, quoted)


def quotes(text: str) -> list[tuple[str, int]]:
    """(quoted words, citation number) for every sentence, list lead-in and list item of an answer."""
    found = []
    for line in text.split("\n"):
        for quoted, number in re.findall(r"(.+?) \[(\d+)\]:?(?:\s+|$)", line.removeprefix("- ")):
            quoted = re.sub(r" \(([^)]*)\)$", "", quoted)  # a quotation's "(who said it)"
            found.append((quoted.rstrip("."), int(number)))
    return found


def _flat(text: str) -> str:
    text = re.sub(r":\s*\n\s*- ", " ", text)  # a list item is quoted with its lead-in
    text = re.sub(r"^\s*(?:- |\d+\.\s)", "", text, flags=re.M)
    return " ".join(text.replace("*", "").split()).lower()


def test_sentences_are_not_repeated(offline_answerer):
    answer = offline_answerer.answer(IN_SCOPE[3])
    sentences = [quoted for quoted, _ in quotes(answer.text)]
    assert len(sentences) == len(set(sentences))


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_an_out_of_scope_question_is_declined_plainly_without_quoting(offline_answerer, question):
    answer = offline_answerer.answer(question)
    assert not answer.covered and answer.mode == "declined"
    assert answer.text == DECLINE and answer.citations == []


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "\x00\x01"])
def test_an_empty_question_is_a_clear_error(offline_answerer, question):
    with pytest.raises(InvalidInputError, match="empty"):
        offline_answerer.answer(question)


def test_a_huge_question_is_cut_with_a_notice_not_a_crash(offline_answerer):
    answer = offline_answerer.answer("How should the council share leadership of the LSP? " * 1000)
    assert answer.notice and "first" in answer.notice
    assert answer.covered


def test_slack_markup_in_a_question_is_not_echoed(offline_answerer):
    answer = offline_answerer.answer("<!channel> how do we avoid dominating the partnership?")
    assert "<!channel>" not in answer.text
