"""The Chroma server (`chroma run`) that several workers share: its client, and the record of which
collection is live.

With a server there is no shared disk, so what the embedded index keeps in files beside Chroma (the pointer
to the live collection, the off-topic examples' vectors) is kept in Chroma itself, in two small collections
of its own. Every worker reads them; `coach ingest` writes them.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from bot.errors import ConfigurationError, IndexUnreadableError

POINTER_COLLECTION = "coach-index-pointer"
OFF_TOPIC_COLLECTION = "coach-off-topic"


def http_client(url: str) -> Any:
    """chromadb's HttpClient for `url` (http://host:port); refuses a URL it cannot use, and an unreachable server."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"COACH_CHROMA_URL must look like http://host:8000 (got a '{parts.scheme}' URL).")
    port = parts.port or (443 if parts.scheme == "https" else 8000)
    try:
        return chromadb.HttpClient(host=parts.hostname, port=port, ssl=parts.scheme == "https",
                                   settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as exc:  # the client checks the server on creation: connection refused, timeouts
        raise IndexUnreadableError(where(url), _first_line(exc)) from exc


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"the Chroma server {parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":")


def read_pointer(client: Any) -> dict[str, str] | None:
    try:
        meta = client.get_collection(POINTER_COLLECTION).metadata or {}
    except Exception:  # chromadb raises NotFoundError (or ValueError in older releases) for a missing collection
        return None
    if "collection" not in meta or "embedding_model" not in meta:
        return None
    return {"collection": str(meta["collection"]), "embedding_model": str(meta["embedding_model"])}


def write_pointer(client: Any, collection: str, model: str) -> None:
    """One metadata update on the server: readers see the old collection or the new one, never a mixture."""
    pointer = client.get_or_create_collection(POINTER_COLLECTION)
    pointer.modify(metadata={"collection": collection, "embedding_model": model})


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
