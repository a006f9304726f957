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


_OPEN_STARTS = ("what", "how", "which", "who", "where", "when", "whose")
# Questions that carry their answer: "Don't you think…", "Wouldn't it be better…", "Surely…".
_LEADING = re.compile(r"\b(don't you|do you not|wouldn't|shouldn't|isn't it|aren't you|surely|"
                      r"wouldn't it|is it not|right\?)", re.I)


def question_problem(question: str) -> str | None:
    """Why a coaching question fails the rubric (issue 12 §1): open, single and not leading; None when it passes."""
    text = question.strip()
    if text.count("?") != 1 or not text.endswith("?"):
        return "ask exactly one question, ending with its question mark"
    first = re.sub(r"\{[^{}]*\}", "", text).split(maxsplit=1)[0].lower().strip(",")
    if first not in _OPEN_STARTS:
        return f"start with an open word ({', '.join(_OPEN_STARTS)}), not '{first}'"
    if _LEADING.search(text):
        return "do not lead the person to an answer"
    return None


class Guide(BaseModel):
    """The closing feedback's guidance: a point from the passages, then what the person's own rating on the
    exercise's rating step means (1-2 low, 3 middle, 4-5 high) and what to do about it, then one question.
    The texts may use {title}, {rating}, {partner} (the first partner named in the answers),
    {partner.<text step id>} and {answer.<text step id>} (the person's words, quoted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    point: str = Field(min_length=1)
    low: str = Field(min_length=1)
    middle: str = Field(min_length=1)
    high: str = Field(min_length=1)
    question: str = Field(min_length=1)

    @field_validator("question")
    @classmethod
    def _one_open_question(cls, question: str) -> str:
        if problem := question_problem(question):
            raise ValueError(f"feedback question '{question}': {problem}")
        return question

    def texts(self) -> list[str]:
        return [self.point, self.low, self.middle, self.high, self.question]


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    attributes: list[str] = Field(min_length=1)
    passages: list[Passage] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    feedback: str | Guide  # a plain template (older exercises) or the guide the closing feedback is built from

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
        texts = [self.feedback] if isinstance(self.feedback, str) else self.feedback.texts()

        def known(placeholder: str) -> bool:
            kind, _, step_id = placeholder.partition(".")
            return placeholder in ("title", "rating", "partner") or (
                kind in ("answer", "said", "partner") and step_id in text_steps)

        unknown = {p for text in texts for p in re.findall(r"\{([^{}]*)\}", text) if not known(p)}
        if unknown:
            raise ValueError("feedback may use only {title}, {rating}, {partner}, and {partner.<step>}, "
                             f"{{answer.<step>}} or {{said.<step>}} of a text step, found {sorted(unknown)}")
        if not isinstance(self.feedback, str) and not any(s.kind == "rating" for s in self.steps):
            raise ValueError("feedback with low, middle and high parts needs a rating step")
        return self

    @property
    def rating_step(self) -> Step | None:
        return next((s for s in self.steps if s.kind == "rating"), None)

    def render_feedback(self, answers: dict[str, str] | None = None) -> str:
        """A plain feedback template with the title and the person's own words (quoted whole, or cut at a clause
        boundary) filled in; a guide is composed by bot.coaching.feedback_text instead."""
        from bot.coaching.feedback_text import fill

        return fill(self.feedback if isinstance(self.feedback, str) else self.feedback.point, self, answers or {})


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
