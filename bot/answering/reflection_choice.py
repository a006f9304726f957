"""The reflective question that closes an answer, and the exercise the answer offers.

Both follow from the question and from what the answer quotes. An exercise fits when the answer quotes a
passage the exercise is built on (knowledge/exercises/*.yaml lists them), the one built on the answer's first
quote before one built on a later quote; otherwise the exercise whose title and summary lie closest to the
question and the answer. The reflective question comes from the exercise offered when the answer quotes what it
is built on (its own prompts were written for that passage); otherwise it is the closest of the nine attributes'
questions and the offered exercise's prompts. A prompt of an exercise that is not offered is never asked: it was
written for another passage, and out of its exercise it reads as beside the point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.coaching.attributes import attributes
from bot.coaching.exercises import Exercise, ExerciseLibrary, exercise_library
from bot.retrieval.hybrid import HybridRetriever

_LEANS_BACK = re.compile(r"\b(?:it|that|this|those|these|them|they)\b(?! (?:is|are) )"
                         r"|\bthe (?:effect|same|saving|answer)\b", re.IGNORECASE)
QUESTION_WEIGHT = 2.0  # the question counts twice the answer: it says what the person is working on
EXERCISE_FLOOR = 0.25  # below this closeness no exercise is offered on topic alone


@dataclass(frozen=True)
class Reflection:
    question: str
    attribute_id: str
    exercise_id: str | None


@dataclass(frozen=True)
class _Prompt:
    text: str
    attribute_id: str
    exercise_id: str | None  # the exercise the prompt comes from, if any


def _flat(text: str) -> str:
    return " ".join(text.replace("*", "").lower().split())


class ReflectionChooser:
    def __init__(self, retriever: HybridRetriever, library: ExerciseLibrary | None = None) -> None:
        self._retriever = retriever
        self._library = library if library is not None else exercise_library()
        self._exercises: list[Exercise] = list(self._library)
        # Each exercise's passages as compared with what an answer quotes, flattened once rather than per answer.
        self._built_on = [[_flat(p.quote) for p in e.passages] for e in self._exercises]
        attribute_set = attributes().attributes
        self._prompts = [_Prompt(a.question, a.id, None) for a in attribute_set] + [
            _Prompt(step.prompt, exercise.attributes[0], exercise.id)
            for exercise in self._exercises for step in exercise.steps if _standalone(step.prompt)]
        embed = retriever.embedder.embed
        self._prompt_vectors = embed([p.text for p in self._prompts])
        self._exercise_vectors = embed([f"{e.title} {e.summary}" for e in self._exercises]) if self._exercises \
            else np.zeros((0, self._prompt_vectors.shape[1]))

    def choose(self, qv: np.ndarray, quoted: list[str]) -> Reflection:
        topic = QUESTION_WEIGHT * qv
        if quoted:
            topic = topic + self._retriever.sentence_vectors.vectors(quoted).mean(axis=0)
        topic = topic / (np.linalg.norm(topic) or 1.0)
        exercise, built_on = self._exercise(topic, quoted)
        scores = self._prompt_vectors @ topic
        own = [i for i, p in enumerate(self._prompts) if exercise is not None and p.exercise_id == exercise.id]
        if built_on and own:
            candidates = own
        else:
            candidates = [i for i, p in enumerate(self._prompts) if p.exercise_id is None] + own
        chosen = max(candidates, key=lambda i: scores[i])
        prompt = self._prompts[chosen]
        attribute = exercise.attributes[0] if exercise is not None and prompt.exercise_id == exercise.id \
            else prompt.attribute_id
        return Reflection(prompt.text, attribute, exercise.id if exercise is not None else None)

    def _exercise(self, topic: np.ndarray, quoted: list[str]) -> tuple[Exercise | None, bool]:
        """The exercise to offer, and whether it is built on what the answer quotes."""
        if not self._exercises:
            return None, False
        closeness = self._exercise_vectors @ topic
        for sentence in quoted:  # the answer's first quote is its main point
            said = _flat(sentence)
            built_on = [i for i, quotes in enumerate(self._built_on)
                        if any(quote[:80] in said or _overlaps(quote, said) for quote in quotes)]
            if built_on:
                return self._exercises[max(built_on, key=lambda i: closeness[i])], True
        best = int(np.argmax(closeness))
        return (self._exercises[best], False) if closeness[best] >= EXERCISE_FLOOR else (None, False)


def _overlaps(quote: str, said: str) -> bool:
    # A quoted sentence of the answer inside the exercise's passage (quotes may be longer or shorter).
    return any(len(s) > 40 and s in quote for s in (part.strip() for part in said.split(". ")))


def _standalone(prompt: str) -> bool:
    # An exercise step may lean on the one before ("Who is better placed to lead it?", "Which partners would feel
    # the effect?"): only a question that reads on its own can close an answer.
    return prompt.rstrip().endswith("?") and len(prompt.split()) >= 8 and not _LEANS_BACK.search(prompt)
