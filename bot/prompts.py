"""Prompt templates from prompts/*.yaml, validated on load: unknown keys and undeclared variables are errors."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import PromptError
from bot.paths import prompts_dir

REQUIRED = ("system", "answer", "condense", "exercise_feedback")


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    version: str
    description: str
    variables: list[str]
    template: str

    def placeholders(self) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(self.template) if field is not None}

    def render(self, **values: str) -> str:
        """The template filled in; a missing or unexpected value is an error, never a blank."""
        missing = set(self.variables) - values.keys()
        unknown = values.keys() - set(self.variables)
        if missing or unknown:
            raise PromptError(self.name, f"missing {sorted(missing)}, unexpected {sorted(unknown)}")
        return self.template.format(**values)


class Prompts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    system: PromptTemplate
    answer: PromptTemplate
    condense: PromptTemplate
    exercise_feedback: PromptTemplate

    def versions(self) -> dict[str, str]:
        return {name: getattr(self, name).version for name in REQUIRED}


def load_prompt(path: Path) -> PromptTemplate:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PromptError(path.stem, f"cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise PromptError(path.stem, "must be a YAML mapping with version, description, variables, template")
    try:
        prompt = PromptTemplate(name=path.stem, **raw)
    except (ValidationError, TypeError) as exc:
        raise PromptError(path.stem, str(exc).replace("\n", " ")) from exc
    try:
        used = prompt.placeholders()
    except ValueError as exc:  # an unbalanced brace
        raise PromptError(path.stem, f"has a malformed placeholder: {exc}") from exc
    if used != set(prompt.variables):
        raise PromptError(
            path.stem,
            f"declares variables {sorted(prompt.variables)} but its template uses {sorted(used)}",
        )
    return prompt


def load_prompts(directory: Path | None = None) -> Prompts:
    directory = directory or prompts_dir()
    missing = [name for name in REQUIRED if not (directory / f"{name}.yaml").is_file()]
    if missing:
        raise PromptError(", ".join(missing), f"is missing from {directory}")
    return Prompts(**{name: load_prompt(directory / f"{name}.yaml") for name in REQUIRED})


@lru_cache(maxsize=1)
def bundled_prompts() -> Prompts:
    return load_prompts()
