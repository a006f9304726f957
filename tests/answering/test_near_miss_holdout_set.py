"""The held-out scope set (evals/near_miss_holdout.yaml) is big enough to give a figure and stays held out.

It was written before the scope decision was changed and is never tuned on; these tests check only its shape and
that none of its questions found its way into what the decision learns from (knowledge/off_topic.yaml) or is
calibrated on (evals/decline_dev.yaml), never what the answerer makes of it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.evaluation.gold import load_gold, normalise

ROOT = Path(__file__).resolve().parents[2]
HOLDOUT = ROOT / "evals" / "near_miss_holdout.yaml"


def _same(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_set_holds_at_least_forty_near_misses_and_forty_in_scope_questions_with_unique_ids() -> None:
    gold = load_gold(HOLDOUT)
    assert len(gold.questions) >= 40 and len(gold.out_of_scope) >= 40
    ids = [q.id for q in gold.questions] + [q.id for q in gold.out_of_scope]
    assert len(ids) == len(set(ids))


def test_every_in_scope_question_has_evidence_that_its_document_states_word_for_word() -> None:
    documents = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in (ROOT / "knowledge").glob("*.md")}
    for q in load_gold(HOLDOUT).questions:
        assert q.relevant and all(normalise(e.evidence) in documents[e.source] for e in q.relevant), q.id


def test_no_held_out_question_is_an_off_topic_example_or_a_development_question() -> None:
    holdout = load_gold(HOLDOUT)
    examples = yaml.safe_load((ROOT / "knowledge" / "off_topic.yaml").read_text(encoding="utf-8"))["questions"]
    dev = load_gold(ROOT / "evals" / "decline_dev.yaml")
    seen = {_same(q) for q in examples} | {_same(q.question) for q in [*dev.questions, *dev.out_of_scope]}
    assert not [q.id for q in [*holdout.questions, *holdout.out_of_scope] if _same(q.question) in seen]
