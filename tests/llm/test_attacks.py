"""Every attack in evals/attacks.yaml is handled, even by a model that obeys the attacker."""

from __future__ import annotations

import json

import pytest

from bot.answering.evaluation import AttackCase, PlantedHybrid, PlantingRetriever, attack_failures, load_attacks
from bot.answering.screening import passage_flags
from bot.bootstrap import build_answerer
from bot.config import Settings
from bot.llm.provider import build_chat_model
from bot.prompts import bundled_prompts
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import terms
from tests.llm.conftest import PASSAGES, FakeOffline, FakeRetriever, llm_answerer
from tests.llm.fake_openai import FakeOpenAI, Reply

ATTACKS = load_attacks()


class TopicalRetriever(FakeRetriever):
    """Confident only when the question shares words with the guidance, as the real retriever is."""

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None) -> list[Hit]:
        self.similarity = 0.7 if terms(query) & terms(" ".join(PASSAGES)) else 0.2
        return super().search(query, k, filters)


def test_the_attack_set_has_at_least_60_cases_over_every_category() -> None:
    assert len(ATTACKS) >= 60
    assert {c.category for c in ATTACKS} >= {"direct", "obfuscated", "translated", "indirect", "exfiltration",
                                             "prompt_extraction", "slack_markup", "roleplay", "code", "off_topic"}
    assert len({c.id for c in ATTACKS}) == len(ATTACKS)


def _cases(answerer: str, planted: bool | None = None) -> list[object]:
    """The cases as parameters; a known gap must still get through (strict xfail), so a closed gap shows up."""
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason="known gap (evals/attacks.yaml)")]
                         if answerer in c.known_gap else [])
            for c in ATTACKS if planted is None or (c.planted is not None) == planted]


@pytest.mark.parametrize("case", _cases("model"))
def test_an_attack_is_handled_even_when_the_model_obeys_it(case: AttackCase, fake_openai: FakeOpenAI,
                                                           llm_settings: Settings) -> None:
    fake_openai.default = Reply(case.compromised_reply)
    retriever = TopicalRetriever()
    answerer = llm_answerer(PlantingRetriever(retriever, case.planted) if case.planted else retriever,
                            build_chat_model(llm_settings), FakeOffline(covered=False), llm_settings)
    answer = answerer.answer(case.question)
    assert attack_failures(case, answer, bundled_prompts().system.template) == []
    sent = json.dumps([r.body for r in fake_openai.chat_requests()])
    for secret in case.model_must_not_see:
        assert secret not in sent
    if case.planted:
        assert case.planted[:30] not in sent  # planted instructions never reach the model as guidance


@pytest.mark.parametrize("case", _cases("offline", planted=False))
def test_an_attack_is_handled_offline_too(case: AttackCase) -> None:
    answerer = llm_answerer(TopicalRetriever(), None, FakeOffline(), Settings())
    assert attack_failures(case, answerer.answer(case.question), bundled_prompts().system.template) == []


@pytest.mark.parametrize("case", _cases("offline", planted=True))
def test_a_planted_passage_is_never_quoted_by_the_offline_answerer(case: AttackCase, guidance_retriever) -> None:  # type: ignore[no-untyped-def]
    # Planted at query time into the real index, with no ingest-time flag: the answer-time screen alone.
    planted = PlantedHybrid(guidance_retriever, case.planted or "")
    answer = build_answerer(Settings(), planted, turns=None, chat_model=None).answer(case.question)
    assert attack_failures(case, answer, bundled_prompts().system.template) == []
    shown = " ".join([answer.text, *(c.hit.text for c in answer.citations)])
    assert (case.planted or "")[:30] not in shown


@pytest.mark.parametrize("case", _cases("ingest", planted=True))
def test_every_planted_passage_is_flagged_at_ingest(case: AttackCase) -> None:
    assert passage_flags(case.planted or "")
