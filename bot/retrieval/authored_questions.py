"""Questions written by hand for passages of the guidance (`questions.yaml` beside the documents).

Users rarely use the guidance's own words. Each passage is also indexed under the questions it answers,
phrased as practitioners phrase them (doc2query, written by people rather than generated), so a
paraphrased question still finds its passage. They are an index, never quoted as guidance.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import yaml

from bot.retrieval.documents import Document

log = logging.getLogger(__name__)

FILENAME = "questions.yaml"


def _normalise(text: str) -> str:
    return " ".join(text.replace("*", "").split()).lower()


class AuthoredQuestions:
    def __init__(self, entries: dict[str, list[tuple[str, list[str]]]]) -> None:
        self._entries = entries  # source -> [(anchor, questions)]

    @classmethod
    def load_for(cls, roots: list[Path], problems: list[str]) -> AuthoredQuestions:
        entries: dict[str, list[tuple[str, list[str]]]] = {}
        for root in roots:
            path = (root if root.is_dir() else root.parent) / FILENAME
            if not path.is_file():
                continue
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                for source, items in data.items():
                    for item in items:
                        entries.setdefault(str(source), []).append(
                            (str(item["anchor"]), [str(q) for q in item["questions"]])
                        )
            except (yaml.YAMLError, AttributeError, KeyError, TypeError) as exc:
                problems.append(f"{path}: not a valid questions file ({exc}); indexed without it")
        return cls(entries)

    def versioned_hash(self, doc: Document) -> str:
        extra = self._entries.get(doc.source)
        if not extra:
            return doc.content_hash
        return hashlib.sha256((doc.content_hash + json.dumps(extra)).encode()).hexdigest()

    def for_passage(self, source: str, passage: str) -> list[str]:
        body = _normalise(passage)
        return [q for anchor, questions in self._entries.get(source, []) if _normalise(anchor) in body
                for q in questions]
