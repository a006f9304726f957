"""The provider factory reaches any OpenAI-compatible endpoint through the settings."""

from __future__ import annotations

import openai

from bot.config import Settings
from bot.llm.provider import build_chat_model, build_embeddings
from tests.llm.fake_openai import FakeOpenAI, Reply


def test_the_chat_model_uses_the_configured_endpoint_model_and_limits(fake_openai: FakeOpenAI,
                                                                      llm_settings: Settings) -> None:
    settings = llm_settings.model_copy(update={"llm_model": "llama3.1:8b", "llm_temperature": 0.0,
                                               "llm_max_tokens": 123})
    model = build_chat_model(settings)
    assert model is not None
    fake_openai.then(Reply("Hello there"))
    assert model.invoke("hi").content == "Hello there"
    body = fake_openai.chat_requests()[0].body
    assert (body["model"], body["temperature"]) == ("llama3.1:8b", 0.0)
    assert 123 in (body.get("max_tokens"), body.get("max_completion_tokens"))


def test_a_base_url_alone_is_enough_for_a_local_server(fake_openai: FakeOpenAI) -> None:
    model = build_chat_model(Settings(openai_base_url=fake_openai.base_url))  # Ollama, vLLM: no key needed
    assert model is not None and model.invoke("hi").content


def test_no_key_and_no_base_url_means_no_model() -> None:
    assert build_chat_model(Settings()) is None


def test_embeddings_come_from_the_same_endpoint(fake_openai: FakeOpenAI, llm_settings: Settings) -> None:
    vectors = build_embeddings(llm_settings).embed_documents(["shared vision", "accountability"])
    assert len(vectors) == 2 and len(vectors[0]) == 8 and vectors[0] != vectors[1]


def test_the_fake_server_lists_its_models_to_the_real_client(fake_openai: FakeOpenAI) -> None:
    client = openai.OpenAI(base_url=fake_openai.base_url, api_key="k")
    assert [m.id for m in client.models.list()] == ["fake-model"]
