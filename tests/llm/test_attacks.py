"""Every attack in evals/attacks.yaml is handled, even by a model that obeys the attacker."""

from __future__ import annotations

import json

import pytest

from bot.answering.evaluation import AttackCase, PlantingRetriever, attack_failures, load_attacks
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


def test_the_attack_set_has_at_least_25_cases_over_every_category() -> None:
    assert len(ATTACKS) >= 25
    assert {c.category for c in ATTACKS} >= {"ignore_instructions", "system_prompt", "planted_instruction",
                                             "roleplay", "code", "off_topic", "other_users", "mentions"}
    assert len({c.id for c in ATTACKS}) == len(ATTACKS)


@pytest.mark.parametrize("case", ATTACKS, ids=[c.id for c in ATTACKS])
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


@pytest.mark.parametrize("case", [c for c in ATTACKS if c.planted is None], ids=lambda c: c.id)
def test_an_attack_is_handled_offline_too(case: AttackCase) -> None:
    answerer = llm_answerer(TopicalRetriever(), None, FakeOffline(), Settings())
    assert attack_failures(case, answerer.answer(case.question), bundled_prompts().system.template) == []
