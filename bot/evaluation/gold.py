"""The gold set (evals/retrieval_gold.yaml) and what counts as a relevant passage."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import InvalidInputError
from bot.paths import evals_dir


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    evidence: str


class GoldQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question: str
    relevant: list[Evidence]


class OutOfScope(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question: str


class GoldSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questions: list[GoldQuestion]
    out_of_scope: list[OutOfScope]


def load_gold(path: Path | None = None) -> GoldSet:
    path = path or evals_dir() / "retrieval_gold.yaml"
    try:
        return GoldSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        raise InvalidInputError(f"Cannot read the gold set {path}: {exc}") from exc


def normalise(text: str) -> str:
    """Markdown marks and whitespace removed, so evidence matches any chunker's rendering of a passage."""
    text = re.sub(r"^\s*(?:>|-)\s?", "", text, flags=re.M).replace("*", "")
    return " ".join(text.split()).lower()


def is_relevant(passage: str, question: GoldQuestion) -> bool:
    body = normalise(passage)
    return any(normalise(e.evidence) in body for e in question.relevant)
