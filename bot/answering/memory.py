"""Conversation memory: turns kept per conversation id, and the history trimmed to a token budget.

The newest turns are kept whole while they fit; older ones are condensed into one line of the user's
earlier questions, so a long conversation never crowds the passages out of the prompt.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from bot.answering.guards import as_data, strip_identifiers

if TYPE_CHECKING:
    from bot.storage.database import Database

log = logging.getLogger(__name__)
HISTORY_TOKENS = 600


@dataclass(frozen=True)
class TurnText:
    role: str  # "user" | "assistant"
    content: str


class TurnLike(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def content(self) -> str: ...


class TurnStore(Protocol):
    def append_turn(self, conversation_id: str, role: str, content: str) -> None: ...
    def recent_turns(self, conversation_id: str, limit: int = 10) -> Sequence[TurnLike]: ...


class InMemoryTurnStore:
    """For a terminal session and for tests."""

    def __init__(self) -> None:
        self._turns: dict[str, list[TurnText]] = defaultdict(list)
        self._lock = threading.Lock()

    def append_turn(self, conversation_id: str, role: str, content: str) -> None:
        with self._lock:
            self._turns[conversation_id].append(TurnText(role, content))

    def recent_turns(self, conversation_id: str, limit: int = 10) -> list[TurnText]:
        with self._lock:
            return list(self._turns.get(conversation_id, [])[-limit:])


class DatabaseTurnStore:
    """Turns in the coaching database (bot.coaching.conversation), a fresh unit of work per call."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def append_turn(self, conversation_id: str, role: str, content: str) -> None:
        from bot.coaching.conversation import append_turn

        append_turn(self._db.uow(), conversation_id, role, content)

    def recent_turns(self, conversation_id: str, limit: int = 10) -> Sequence[TurnLike]:
        from bot.coaching.conversation import recent_turns

        return recent_turns(self._db.uow(), conversation_id, limit)


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
