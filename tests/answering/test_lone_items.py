"""Which items of a list not asked for are quoted one by one: an item cut from its list in a passage the search ranks
below the one the answer leads with must be about as close to the point as the best unit; items of a passage it ranks
above keep the looser bar (the search found that passage on the question's own words or written questions)."""

from __future__ import annotations

import numpy as np

from bot.answering.composition import LONE_ITEM_FLOOR, LOWER_ITEM_MARGIN, Composer, Unit
from bot.answering.sentences import Piece
from bot.retrieval.hits import Hit


def _hit(name: str, similarity: float = 0.6) -> Hit:
    return Hit(chunk_id=name, text="", source=name, title=name, citation=name, heading="", ref="", score=1.0,
               similarity=similarity)


def _prose(hit: Hit, rank: int, text: str, score: float) -> Unit:
    piece = Piece(text, "prose")
    return Unit(hit, rank, 0, [piece], piece, score=score, relevance=score + 0.08 * rank)


def _item(hit: Hit, rank: int, text: str, score: float) -> Unit:
    piece = Piece(f"Leaders in such places need {text}.", "item", 0, "Leaders in such places need", text)
    return Unit(hit, rank, 1, [piece], piece, score=score, relevance=score + 0.08 * rank)


def _picked(units: list[Unit]) -> list[str]:
    composer = Composer.__new__(Composer)  # _pick reads only the units and their vectors
    best = max(u.score for u in units)
    vectors = {u.scored.text: np.eye(len(units))[i] for i, u in enumerate(units)}
    return [u.scored.text for u in composer._pick(units, best, best - 0.30, vectors)]


def test_an_item_from_a_passage_ranked_below_the_answers_own_must_be_nearly_as_close_as_the_best() -> None:
    lead, lower = _hit("first"), _hit("second")
    best = _prose(lead, 0, "The answer the guidance gives to this question, in one sentence.", 0.90)
    far = _item(lower, 1, "a role far from the question that shares its generic words", 0.90 - 0.12)
    near = _item(_hit("third"), 2, "the quality the question is about, said another way", 0.90 - 0.06)
    assert LOWER_ITEM_MARGIN < 0.12 < LONE_ITEM_FLOOR
    picked = _picked([best, far, near])
    assert best.scored.text in picked and near.scored.text in picked
    assert far.scored.text not in picked


def test_an_item_from_a_passage_ranked_above_the_answers_own_keeps_the_looser_bar() -> None:
    higher, lead = _hit("first"), _hit("second")
    best = _prose(lead, 1, "The sentence that scores best, from the second passage.", 0.90)
    item = _item(higher, 0, "the challenge the question names, from the passage ranked first", 0.90 - 0.12)
    picked = _picked([best, item])
    assert item.scored.text in picked
