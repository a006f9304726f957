"""A model's answer is tied to a leadership attribute, as the offline answer is: the check-in and the
reflective question follow from it."""

from __future__ import annotations

import pytest

from bot.answering.llm import LLMAnswerer
from bot.answering.memory import InMemoryTurnStore
from bot.bootstrap import build_answerer
from bot.coaching.attributes import attributes
from tests.llm.fake_openai import FakeOpenAI, Reply

RISK_QUESTION = "How should partners share the risks of a joint project rather than pass them to one body?"


@pytest.fixture
def answerer(llm_settings, guidance_retriever) -> LLMAnswerer:  # type: ignore[no-untyped-def]
    return build_answerer(llm_settings, guidance_retriever, turns=InMemoryTurnStore())  # as served


def test_a_model_answer_names_the_attribute_its_question_is_about(  # type: ignore[no-untyped-def]
        fake_openai: FakeOpenAI, answerer: LLMAnswerer) -> None:
    fake_openai.then(Reply("Partners should agree who carries which risk [1].\nWho holds the risk today?"))
    answer = answerer.answer(RISK_QUESTION)
    assert answer.mode == "llm"
    assert answer.attribute_id == "risk-management"
    assert answer.reflective_question == "Who holds the risk today?"  # the model's own question is kept


def test_without_a_question_from_the_model_the_attributes_question_is_asked(  # type: ignore[no-untyped-def]
        fake_openai: FakeOpenAI, answerer: LLMAnswerer) -> None:
    fake_openai.then(Reply("Partners should agree who carries which risk [1]."))
    answer = answerer.answer(RISK_QUESTION)
    assert answer.mode == "llm" and answer.attribute_id == "risk-management"
    assert answer.reflective_question == attributes().get("risk-management").question
