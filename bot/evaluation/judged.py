"""Judged answers: a person's yes / partly / no on each answer to a question set, kept with the answer text
judged, so a change to the answerer shows which answers changed and need judging again
(rubric: evals/answer_rubric.md; judgements: evals/leaders_judged.yaml).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.answering.answer import Answer
from bot.errors import InvalidInputError
from bot.evaluation.gold import Evidence, GoldQuestion, GoldSet
from bot.paths import evals_dir

Verdict = Literal["yes", "partly", "no"]
_Model = TypeVar("_Model", bound=BaseModel)


class LeaderQuestion(BaseModel):
    """A question in a leader's own words, with what a good answer must contain (written without sight of the
    answerer)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    question: str
    must_contain: list[str]
    sources: list[str] = []
    evidence: str


class LeaderSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questions: list[LeaderQuestion]


class Judgement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question: str
    answer: str  # the answer text judged, exactly as given
    reflective_question: str | None = None
    exercise_id: str | None = None
    answers_question: Verdict  # does it answer what was asked (rubric 1)
    off_point_sentences: int  # sentences not on the point of the question (rubric 2)
    unsupported_sentences: int = 0  # sentences the cited passage does not support (rubric 2)
    reflective_relevant: bool  # rubric 3
    note: str = ""


class JudgedSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    judge: str
    judged_on: str
    rubric: str
    judgements: list[Judgement]


def load_leaders(path: Path | None = None) -> LeaderSet:
    return _load(path or evals_dir() / "leaders_questions.yaml", LeaderSet)


def load_judged(path: Path | None = None) -> JudgedSet:
    return _load(path or evals_dir() / "leaders_judged.yaml", JudgedSet)


def _load(path: Path, model: type[_Model]) -> _Model:
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc}") from exc


def as_gold(leaders: LeaderSet) -> GoldSet:
    """The leaders' set as a gold set, so the answer-level measure runs on it too."""
    return GoldSet(questions=[GoldQuestion(id=q.id, question=q.question,
                                           relevant=[Evidence(source="", evidence=q.evidence)])
                              for q in leaders.questions], out_of_scope=[])


@dataclass
class Comparison:
    judged: int
    unchanged: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # answer text differs from the one judged: judge again
    not_judged: list[str] = field(default_factory=list)
    verdicts: Counter[str] = field(default_factory=Counter)  # over the unchanged answers
    with_off_point: int = 0  # unchanged answers with at least one sentence off the point
    reflective_relevant: int = 0
    current: dict[str, Answer] = field(default_factory=dict)

    @property
    def yes_share(self) -> float:
        return self.verdicts["yes"] / len(self.unchanged) if self.unchanged else 0.0


def compare(answer: Callable[[str], Answer], leaders: LeaderSet, judged: JudgedSet) -> Comparison:
    """Answer every question again and set each answer beside the one judged."""
    by_id = {j.id: j for j in judged.judgements}
    result = Comparison(judged=len(by_id))
    for q in leaders.questions:
        now = answer(q.question)
        result.current[q.id] = now
        seen = by_id.get(q.id)
        if seen is None:
            result.not_judged.append(q.id)
        elif seen.answer.strip() != now.text.strip():
            result.changed.append(q.id)
        else:
            result.unchanged.append(q.id)
            result.verdicts[seen.answers_question] += 1
            result.with_off_point += seen.off_point_sentences > 0
            result.reflective_relevant += seen.reflective_relevant
    return result


def pending(leaders: LeaderSet, comparison: Comparison, judged: JudgedSet) -> list[dict[str, object]]:
    """The changed and unjudged answers in the judgements' shape, verdicts left for a person to fill in."""
    by_id = {j.id: j for j in judged.judgements}
    out: list[dict[str, object]] = []
    for q in leaders.questions:
        if q.id in comparison.unchanged:
            out.append(by_id[q.id].model_dump())
            continue
        now = comparison.current[q.id]
        out.append({"id": q.id, "question": q.question, "answer": now.text,
                    "reflective_question": now.reflective_question, "exercise_id": now.exercise_id,
                    "answers_question": "TO JUDGE", "off_point_sentences": -1, "unsupported_sentences": 0,
                    "reflective_relevant": None, "note": ""})
    return out
