"""Scripted conversations (evals/conversations.yaml): the right scope decision for every turn.

Each conversation is played, turn by turn, through the answerer that is served (one conversation id per
script, one person), and each turn's decision is read from the answer: `answer` (answered as typed),
`follow-up` (answered with the earlier question it refers back to) or `decline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.answering.answer import Answer, Answerer
from bot.errors import InvalidInputError
from bot.paths import evals_dir

Decision = Literal["answer", "follow-up", "decline"]
_SCOPE_TO_DECISION: dict[str, Decision] = {"standalone": "answer", "follow-up": "follow-up", "declined": "decline"}


class ScriptedTurn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ask: str = Field(min_length=1)
    expect: Decision
    person: str | None = None  # someone other than the conversation's person asks this turn


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    about: str  # what the script checks, in a sentence
    turns: list[ScriptedTurn] = Field(min_length=1)
    person: str = "eval:person"


class ConversationSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    conversations: list[Conversation]


def load_conversations(path: Path | None = None) -> list[Conversation]:
    path = path or evals_dir() / "conversations.yaml"
    try:
        return ConversationSet(**yaml.safe_load(path.read_text(encoding="utf-8"))).conversations
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise InvalidInputError(f"{path} is not a conversation set: {exc}", field="conversations") from exc


def decision(answer: Answer) -> Decision:
    if not answer.covered:
        return "decline"
    return _SCOPE_TO_DECISION.get(str(answer.meta.get("scope")), "answer")


@dataclass
class TurnResult:
    conversation: str
    turn: int  # 1-based
    ask: str
    expected: Decision
    got: Decision


@dataclass
class ConversationReport:
    conversations: int
    turns: int
    right: int
    by_expected: dict[str, tuple[int, int]] = field(default_factory=dict)  # decision: (right, of)
    wrong: list[TurnResult] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.turns if self.turns else 0.0


def evaluate_conversations(answerer: Answerer, conversations: list[Conversation],
                           run: str = "eval") -> ConversationReport:
    """Play every script; `run` keeps the conversation ids of separate runs apart."""
    results: list[TurnResult] = []
    for convo in conversations:
        conversation_id = f"{run}:{convo.id}"
        for n, turn in enumerate(convo.turns, 1):
            got = decision(answerer.answer(turn.ask, conversation_id, user_id=turn.person or convo.person))
            results.append(TurnResult(convo.id, n, turn.ask, turn.expect, got))
    by_expected: dict[str, tuple[int, int]] = {}
    for r in results:
        right, of = by_expected.get(r.expected, (0, 0))
        by_expected[r.expected] = (right + (r.got == r.expected), of + 1)
    wrong = [r for r in results if r.got != r.expected]
    return ConversationReport(len(conversations), len(results), len(results) - len(wrong), by_expected, wrong)
