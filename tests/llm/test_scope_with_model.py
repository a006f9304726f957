"""The served answerer with a model (the fake OpenAI-compatible server) decides scope as offline: a near miss
no pattern names is declined, with what the coach can help with, before the model is asked."""

from __future__ import annotations

import pytest

from bot.answering.llm import LLMAnswerer
from bot.answering.memory import InMemoryTurnStore
from bot.bootstrap import build_answerer
from tests.llm.fake_openai import FakeOpenAI


@pytest.fixture
def answerer(llm_settings, guidance_retriever) -> LLMAnswerer:  # type: ignore[no-untyped-def]
    return build_answerer(llm_settings, guidance_retriever, turns=InMemoryTurnStore())  # as served


@pytest.mark.parametrize("question", [
    "How do I calculate the social return on investment for the grants we give to voluntary sector organisations?",
    "What rate of inflation should we assume in next year's joint budget with the NHS?",
])
def test_a_near_miss_no_pattern_names_is_declined_without_asking_the_model(  # type: ignore[no-untyped-def]
        fake_openai: FakeOpenAI, answerer: LLMAnswerer, question: str) -> None:
    answer = answerer.answer(question, "t1")
    assert (answer.covered, answer.mode, answer.meta["scope"]) == (False, "declined", "declined")
    assert "I can help with" in answer.text
    assert fake_openai.chat_requests() == []

