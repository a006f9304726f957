"""Questions the guidance does not answer (`off_topic.yaml` beside the documents), kept with the index as vectors.

Similarity to the guidance alone cannot tell "who should chair our partnership board?" from "what is the
quorum for full council?": both share its words. The second lies closer still to an example of what the
guidance does not cover, and that comparison is what lets the coach decline it (see bot/answering/coverage.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import numpy as np
import yaml

from bot.retrieval.embeddings import Embedder

log = logging.getLogger(__name__)

FILENAME = "off_topic.yaml"
VECTORS_FILE = "off_topic.npz"
NONE = -1.0  # the similarity reported when there are no examples: nothing is ever closer to them


def load_examples(roots: list[Path], problems: list[str]) -> list[str] | None:
    """The example questions from `off_topic.yaml` in each root, or None to keep those already indexed: when no
    root has the file (ingesting one extra document) or a file is broken (reported, not fatal)."""
    examples: list[str] = []
    found, broken = False, False
    for root in roots:
        path = (root if root.is_dir() else root.parent) / FILENAME
        if not path.is_file():
            continue
        found = True
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            examples.extend(str(q).strip() for q in data["questions"] if str(q).strip())
        except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError) as exc:
            problems.append(f"{path}: not a valid off-topic file ({exc}); the examples indexed before are kept")
            broken = True
    return list(dict.fromkeys(examples)) if found and not broken else None


def _fingerprint(examples: list[str], model: str) -> str:
    return hashlib.sha256(json.dumps([model, examples]).encode()).hexdigest()


def refresh(index_dir: Path, embedder: Embedder, examples: list[str], url: str | None = None) -> bool:
    """Embed the examples unless the saved vectors already match them and this model. True if it embedded.
    Kept beside the index, or on the Chroma server at `url` when there is one."""
    if url:
        return _refresh_on_server(url, embedder, examples)
    path = index_dir / VECTORS_FILE
    fingerprint = _fingerprint(examples, embedder.name)
    if _read(path).get("fingerprint") == fingerprint:
        return False
    vectors = embedder.embed(examples) if examples else np.zeros((0, 0), dtype=np.float32)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, fingerprint=np.array(fingerprint), model=np.array(embedder.name), vectors=vectors)
    tmp.replace(path)  # whole or not at all: a reader never sees half a file
    return True


def _read(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError) as exc:
        log.warning("Ignoring unreadable off-topic vectors at %s (%s); run `coach ingest` to rebuild.", path, exc)
        return {}


def _refresh_on_server(url: str, embedder: Embedder, examples: list[str]) -> bool:
    from bot.retrieval.chroma_server import OFF_TOPIC_COLLECTION, http_client

    client = http_client(url)
    fingerprint = _fingerprint(examples, embedder.name)
    meta = client.get_or_create_collection(OFF_TOPIC_COLLECTION).metadata or {}
    if meta.get("fingerprint") == fingerprint:
        return False
    vectors = embedder.embed(examples) if examples else None
    client.delete_collection(OFF_TOPIC_COLLECTION)
    collection = client.create_collection(OFF_TOPIC_COLLECTION,
                                          metadata={"fingerprint": fingerprint, "model": embedder.name})
    if vectors is not None:
        collection.add(ids=[f"off-topic-{i}" for i in range(len(examples))], embeddings=vectors)
    return True


def _read_from_server(url: str) -> dict[str, np.ndarray]:
    from bot.retrieval.chroma_server import OFF_TOPIC_COLLECTION, http_client

    try:
        collection = http_client(url).get_collection(OFF_TOPIC_COLLECTION)
        got = collection.get(include=["embeddings"])
    except Exception as exc:  # no examples ingested yet (NotFoundError), or the server went away meanwhile
        log.warning("No off-topic vectors on the Chroma server (%s); run `coach ingest`.", type(exc).__name__)
        return {}
    order = sorted(range(len(got["ids"])), key=lambda i: int(str(got["ids"][i]).rsplit("-", 1)[1]))
    vectors = np.asarray([got["embeddings"][i] for i in order], dtype=np.float32)
    return {"vectors": vectors, "model": np.array(str((collection.metadata or {}).get("model", "")))}


class OffTopic:
    def __init__(self, vectors: np.ndarray) -> None:
        self._vectors = vectors

    @classmethod
    def open(cls, index_dir: Path, model: str, url: str | None = None) -> OffTopic:
        data = _read_from_server(url) if url else _read(index_dir / VECTORS_FILE)
        if "vectors" not in data or str(data.get("model")) != model or data["vectors"].size == 0:
            return cls(np.zeros((0, 0), dtype=np.float32))
        return cls(np.asarray(data["vectors"], dtype=np.float32))

    def __len__(self) -> int:
        return len(self._vectors)

    @property
    def vectors(self) -> np.ndarray:
        return self._vectors

    def similarity(self, query_vector: np.ndarray) -> float:
        """Cosine similarity of the closest example to the question."""
        return float((self._vectors @ query_vector).max()) if len(self._vectors) else NONE
