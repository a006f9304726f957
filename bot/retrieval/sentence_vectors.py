"""Embeddings of single sentences, computed once at ingest and kept beside the index.

The offline answerer scores sentences against the question; embedding them per question cost more than
the rest of the answer, so ingest computes them ahead and saves them in one file."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

from bot.retrieval.embeddings import Embedder

log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class SentenceVectors:
    def __init__(self, path: Path, embedder: Embedder) -> None:
        self._path = path
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as data:
                    if str(data["model"]) == embedder.name:
                        self._vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError) as exc:
                log.warning("Ignoring unreadable sentence vectors at %s (%s); they will be recomputed.", path, exc)

    def vectors(self, texts: list[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}
        if missing:
            for k, v in zip(missing, self._embedder.embed(list(missing.values())), strict=True):
                self._vectors[k] = v
            self._dirty = True
        return np.stack([self._vectors[k] for k in keys])

    def keep_only(self, texts: list[str]) -> None:
        wanted = {_key(t) for t in texts}
        if set(self._vectors) - wanted:
            self._vectors = {k: v for k, v in self._vectors.items() if k in wanted}
            self._dirty = True

    def save(self) -> None:
        if not self._dirty or not self._vectors:
            return
        from bot.private_files import private_dir

        private_dir(self._path.parent)  # a worker reading a Chroma server keeps its own cache in its data dir
        tmp = self._path.with_suffix(".tmp.npz")
        keys = list(self._vectors)
        np.savez(tmp, model=np.array(self._embedder.name), keys=np.array(keys),
                 vectors=np.stack([self._vectors[k] for k in keys]))
        tmp.replace(self._path)
        self._dirty = False
