"""Reflective exercises (knowledge/exercises/*.yaml): schema, loader and checks against the attributes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.quotes import quote_problem, source_lines
from bot.coaching.validation import shown
from bot.errors import ConfigurationError, InvalidInputError
from bot.paths import knowledge_dir

_ID = r"^[a-z0-9][a-z0-9-]*$"


class Passage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str  # source_id of a guidance document
    quote: str  # verbatim from that document


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    prompt: str = Field(min_length=1)
    kind: Literal["text", "rating"] = "text"
    help: str | None = None
    scale_labels: dict[int, str] | None = None
    recap: str | None = None  # how the closing feedback introduces this answer ("The partner you named")
    short: bool = False  # a name is a whole answer here ("Who could lead it?"), so one word is not a non-answer

    @model_validator(mode="after")
    def _labels_fit_the_kind(self) -> Step:
        if self.kind == "text" and self.scale_labels:
            raise ValueError(f"step '{self.id}': scale_labels only belong on rating steps")
        if self.scale_labels and not set(self.scale_labels) <= {1, 2, 3, 4, 5}:
            raise ValueError(f"step '{self.id}': scale_labels keys must be ratings 1 to 5")
        return self


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    attributes: list[str] = Field(min_length=1)
    passages: list[Passage] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    feedback: str = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _unique_step_ids(cls, steps: list[Step]) -> list[Step]:
        ids = [s.id for s in steps]
        if len(ids) != len(set(ids)):
            raise ValueError(f"step ids must be unique, got {ids}")
        return steps

    @model_validator(mode="after")
    def _only_known_placeholders(self) -> Exercise:
        text_steps = {s.id for s in self.steps if s.kind == "text"}
        unknown = {p for p in re.findall(r"\{([^{}]*)\}", self.feedback)
                   if p != "title" and p.removeprefix("answer.") not in text_steps}
        if unknown:
            raise ValueError(f"feedback may use only {{title}} and {{answer.<text step id>}}, found {sorted(unknown)}")
        return self

    def render_feedback(self, answers: dict[str, str] | None = None) -> str:
        """The feedback with the title and the person's own words (quoted, cut if long) filled in."""
        answers = answers or {}

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "title":
                return self.title
            said = " ".join(answers.get(name.removeprefix("answer."), "").split())
            return f"“{said if len(said) <= 80 else said[:79].rstrip() + '…'}”" if said else "what you named"

        # A substitution, not str.format: the text is ours, but braces elsewhere must stay literal.
        return re.sub(r"\{(title|answer\.[a-z0-9-]+)\}", fill, self.feedback).strip()


class ExerciseLibrary:
    def __init__(self, exercises: list[Exercise]) -> None:
        self._by_id = {e.id: e for e in sorted(exercises, key=lambda e: e.id)}

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self._by_id[exercise_id]
        except KeyError:
            known = ", ".join(self.ids) or "(none installed)"
            raise InvalidInputError(f"Unknown exercise {shown(exercise_id)}. Known exercises: {known}.",
                                    field="exercise") from None


def known_sources(directory: Path | None = None) -> dict[str, Path]:
    """source_id -> document path for the guidance in `directory`."""
    found: dict[str, Path] = {}
    for path in sorted((directory or knowledge_dir()).glob("*.md")):
        source_id = frontmatter.load(path).metadata.get("source_id")
        if source_id:
            found[str(source_id)] = path
    return found


def load_exercises(directory: Path | None = None, attribute_set: AttributeSet | None = None,
                   sources: dict[str, Path] | None = None) -> ExerciseLibrary:
    """Every exercise in `directory`, checked: id = file stem, attributes and passage sources known."""
    directory = directory or knowledge_dir() / "exercises"
    attribute_ids = set((attribute_set or attributes()).ids)
    sources = known_sources() if sources is None else sources
    exercises: list[Exercise] = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        try:
            exercise = Exercise.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as exc:
            raise ConfigurationError(f"Exercise file {path} is invalid: {exc}") from exc
        problems = []
        if exercise.id != path.stem:
            problems.append(f"id '{exercise.id}' differs from the file name '{path.stem}'")
        problems += [f"unknown attribute '{a}'" for a in exercise.attributes if a not in attribute_ids]
        problems += [f"unknown passage source '{p.source}'" for p in exercise.passages if p.source not in sources]
        if problems:
            raise ConfigurationError(f"Exercise file {path}: {'; '.join(problems)}.")
        exercises.append(exercise)
    return ExerciseLibrary(exercises)


def unquoted_passages(library: ExerciseLibrary, sources: dict[str, Path] | None = None) -> list[str]:
    """Passages that are not verbatim in the named document, or that cut a sentence without marking it
    (see bot/coaching/quotes.py); whitespace and emphasis are ignored."""
    sources = known_sources() if sources is None else sources
    lines = {sid: source_lines(path) for sid, path in sources.items()}
    found = []
    for exercise in library:
        for passage in exercise.passages:
            problem = quote_problem(passage.quote, lines.get(passage.source, []))
            if problem:
                found.append(f"{exercise.id}: '{passage.quote[:60]}' {problem}")
    return found


@lru_cache(maxsize=1)
def exercise_library() -> ExerciseLibrary:
    """The bundled exercises, loaded and checked once."""
    return load_exercises()
