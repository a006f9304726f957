"""The nine attributes of the successful partnership leader (knowledge/attributes.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.paths import knowledge_dir


class Attribute(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    description: str
    passage: str  # the source article's own words
    question: str  # a one-line reflective question for the coach to ask
    anchors: dict[int, str] = Field(description="Behavioural anchor for each rating 1..5")

    @field_validator("anchors")
    @classmethod
    def _one_to_five(cls, anchors: dict[int, str]) -> dict[int, str]:
        if sorted(anchors) != [1, 2, 3, 4, 5]:
            raise ValueError("anchors must give exactly the ratings 1 to 5")
        return anchors


class AttributeSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    citation: str
    scale: dict[str, int]
    attributes: list[Attribute]

    def get(self, attribute_id: str) -> Attribute:
        for attribute in self.attributes:
            if attribute.id == attribute_id:
                return attribute
        raise KeyError(attribute_id)

    @property
    def ids(self) -> list[str]:
        return [a.id for a in self.attributes]


def load_attributes(path: Path | None = None) -> AttributeSet:
    path = path or knowledge_dir() / "attributes.yaml"
    return AttributeSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def attributes() -> AttributeSet:
    """The bundled attribute set, parsed once."""
    return load_attributes()
