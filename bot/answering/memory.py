"""Conversation memory: turns kept per conversation id and person, and the history trimmed to a token budget.

The answerer (bot.answering.llm) owns the memory: it reads the person's earlier turns and stores what they
typed and what it answered. Slack and the CLI only say which conversation and which person.

The newest turns are kept whole while they fit; older ones are condensed into one line of the user's
earlier questions, so a long conversation never crowds the passages out of the prompt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from bot.answering.guards import as_data, strip_identifiers

if TYPE_CHECKING:
    from bot.coaching.unit_of_work import UnitOfWork
    from bot.storage.database import Database

log = logging.getLogger(__name__)
HISTORY_TOKENS = 600


@dataclass(frozen=True)
class TurnText:
    role: str  # "user" | "assistant"
    content: str
    answered: bool | None = None


class TurnLike(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def answered(self) -> bool | None: ...


class TurnStore(Protocol):
    """The answerer's memory: turns kept per conversation AND person."""

    def append_turn(self, conversation_id: str, user_id: str | None, role: str, content: str, *,
                    answered: bool | None = None) -> None: ...

    def append_turns(self, conversation_id: str, user_id: str | None, turns: Sequence[TurnText]) -> None:
        """Several turns at once (a question and its answer): one write, not one each."""
        ...

    def recent_turns(self, conversation_id: str, user_id: str | None, limit: int = 10) -> Sequence[TurnLike]: ...


class UnitOfWorkTurnStore:
    """Turns through the conversation core (bot.coaching.conversation), a fresh unit of work per call: in the
    database for Slack (any process sees them, erasure removes them), in memory for a terminal session."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._uow = unit_of_work

    def append_turn(self, conversation_id: str, user_id: str | None, role: str, content: str, *,
                    answered: bool | None = None) -> None:
        from bot.coaching.conversation import append_turn

        append_turn(self._uow(), conversation_id, role, content, user_id, answered=answered)

    def append_turns(self, conversation_id: str, user_id: str | None, turns: Sequence[TurnText]) -> None:
        from bot.coaching.conversation import append_turns

        append_turns(self._uow(), conversation_id, [(t.role, t.content, t.answered) for t in turns], user_id)

    def recent_turns(self, conversation_id: str, user_id: str | None, limit: int = 10) -> Sequence[TurnLike]:
        from bot.coaching.conversation import recent_turns

        return recent_turns(self._uow(), conversation_id, user_id, limit)


class DatabaseTurnStore(UnitOfWorkTurnStore):
    """Turns in the coaching database."""

    def __init__(self, database: Database) -> None:
        super().__init__(database.uow)


class InMemoryTurnStore(UnitOfWorkTurnStore):
    """Turns for as long as the process lives: a terminal session, and tests."""

    def __init__(self) -> None:
        from bot.coaching.memory_uow import MemoryStore

        super().__init__(MemoryStore().uow)


@lru_cache(maxsize=1)
def token_counter() -> Callable[[str], int]:
    """tiktoken's count when its tables are available; otherwise about four characters a token.

    tiktoken downloads its tables on first use; offline machines fall back to the estimate, said once.
    """
    try:
        import tiktoken

        encoding: Any = tiktoken.get_encoding("cl100k_base")
        return lambda text: len(encoding.encode(text, disallowed_special=()))
    except Exception as exc: # no network, no cached tables
        log.info("tiktoken tables unavailable (%s); estimating tokens as characters / 4", type(exc).__name__)
        return lambda text: (len(text) + 3) // 4


def format_history(turns: Sequence[TurnLike], budget: int = HISTORY_TOKENS,
                   count: Callable[[str], int] | None = None) -> str:
    """The conversation for the prompt, newest turns whole within `budget` tokens, older ones condensed."""
    count = count or token_counter()
    lines: list[str] = []
    used = 0
    cut = 0
    for index in range(len(turns) - 1, -1, -1):
        turn = turns[index]
        line = f"{'User' if turn.role == 'user' else 'Coach'}: {as_data(strip_identifiers(turn.content))}"
        cost = count(line)
        if used + cost > budget:
            cut = index + 1
            break
        lines.append(line)
        used += cost
    lines.reverse()
    older = [t for t in turns[:cut] if t.role == "user"]
    if older:
        summary = "Earlier the user asked: " + "; ".join(
            as_data(strip_identifiers(t.content))[:80] for t in older[-5:]
        )
        while older and count(summary) > max(budget - used, 0) and len(summary) > 40:
            summary = summary[: len(summary) // 2] + "…"
        if count(summary) <= max(budget - used, 0):
            lines.insert(0, summary)
    return "\n".join(lines)
