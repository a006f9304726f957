"""Ingest-time flags on passages that are not guidance: instructions to the reader or the assistant,
requests for credentials, and links. A planted document ("verify your account at https://…") must never be
quoted as cited guidance; the flags travel with each passage in the index's metadata, and answerers leave
flagged passages out unless an operator trusts the document (front matter `trusted: true`, or
COACH_TRUSTED_DOCUMENTS).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from bot.answering.screening import FLAG_REASONS, passage_flags

# Part of every document's indexed version: changing what is flagged re-indexes documents on the next ingest,
# so no passage indexed before a screen existed escapes it.
SCREEN_VERSION = "planted-1"


def versioned_hash(content_hash: str) -> str:
    return hashlib.sha256(f"{content_hash}|{SCREEN_VERSION}".encode()).hexdigest()


def chunk_metadata(text: str, trusted: bool) -> dict[str, Any]:
    """What the index stores about a passage's safety (Chroma metadata holds only scalars)."""
    return {"flags": ",".join(passage_flags(text)), "trusted": trusted}


def passage_flags_of(meta: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(f for f in str(meta.get("flags") or "").split(",") if f)


def describe(flags: Collection[str]) -> str:
    return "; ".join(FLAG_REASONS.get(f, f) for f in flags)
