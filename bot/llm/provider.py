"""Build LangChain's OpenAI clients from Settings. Any OpenAI-compatible endpoint works through the base URL."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI, OpenAIEmbeddings

log = logging.getLogger(__name__)
# Local servers (Ollama, vLLM, llama.cpp) ignore the key but the client insists on one.
_PLACEHOLDER_KEY = "not-needed"
_announced = threading.Event()


def announce_offline_once() -> None:
    """Offline mode is a choice, not an error: say so once per process."""
    if not _announced.is_set():
        _announced.set()
        log.info("No language model configured (OPENAI_API_KEY / OPENAI_BASE_URL unset): answering offline.")


def _key(settings: Settings) -> str:
    return settings.openai_api_key.get_secret_value() if settings.openai_api_key else _PLACEHOLDER_KEY


def build_chat_model(settings: Settings) -> ChatOpenAI | None:
    """The chat model, or None when no model is configured (offline mode).

    The client does not retry by itself (max_retries=0): `bot.llm.resilience` retries within the answer's
    deadline, honouring Retry-After, so the fallback always arrives within the timeout plus a second.
    """
    if not settings.llm_configured:
        announce_offline_once()
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        max_completion_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=0,
        api_key=_key(settings),  # type: ignore[arg-type]
        base_url=settings.openai_base_url,
        streaming=True,
        stream_usage=True,
    )


def build_embeddings(settings: Settings) -> OpenAIEmbeddings:
    """The optional OpenAI-compatible embedding backend (COACH_EMBEDDING_BACKEND=openai)."""
    from langchain_openai import OpenAIEmbeddings

    return OpenAIEmbeddings(
        model=settings.openai_embedding_model,
        api_key=_key(settings),  # type: ignore[arg-type]
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        # Token-length checks need tiktoken's downloadable tables; servers truncate by themselves anyway.
        check_embedding_ctx_length=False,
    )
