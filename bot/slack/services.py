"""What the Slack layer needs from the core, handed in by whoever builds the app (bootstrap or a test)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.answering.answer import Answerer
from bot.config import Settings
from bot.retrieval.hits import Retriever
from bot.slack.identity import CanonicalIds
from bot.slack.standing import PeoplePolicy


class EventLedger(Protocol):
    def claim_event(self, key: str) -> bool:
        """True the first time `key` is claimed, False for every later claim (any process)."""
        ...


class DeliveryInbox(Protocol):
    """Deliveries kept from before their ack until their work is done (bot.storage.inbox.Inbox; see
    bot/slack/durable.py)."""

    def keep(self, key: str, kind: str, payload: str, user_id: str | None) -> str | None:
        """The stored key of a new delivery, or None for a copy of one kept before."""
        ...

    def keep_soon(self, key: str, kind: str, payload: str, user_id: str | None) -> Future[str | None]:
        """`keep` without waiting for it: the future's result is what `keep` returns, or its error."""
        ...

    def begin(self, stored: str) -> bool: ...

    def done(self, stored: str) -> None: ...

    def failed(self, stored: str) -> None: ...

    def start(self, rerun: Callable[[Any], None]) -> object:
        """Begin the upkeep: renew this worker's hold, hand deliveries whose worker died to `rerun`."""
        ...


class FeedbackSink(Protocol):
    def record(self, *, user_id: str, answer_id: str, helpful: bool, comment: str | None = None,
               passages: Sequence[str] | None = None) -> None:
        """Set the person's one verdict on the answer (a later one replaces it)."""
        ...


class ExerciseThreads(Protocol):
    """Which DM thread runs which exercise session (conversation memory is the answerer's, not Slack's)."""

    def tie(self, thread_id: str, user_id: str, session_id: int) -> None: ...

    def session_of(self, thread_id: str, user_id: str) -> int | None: ...


class MemoryLedger:
    """A process-local ledger for tools and tests that have no database; production uses the database."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def claim_event(self, key: str) -> bool:
        with self._lock:
            if key in self._seen:
                return False
            self._seen.add(key)
            return True


class MemoryInbox:
    """Retry dedup only, in this process, for tools and tests without a database: nothing outlives the process."""

    def __init__(self) -> None:
        self._ledger = MemoryLedger()

    def keep(self, key: str, kind: str, payload: str, user_id: str | None) -> str | None:
        return key if self._ledger.claim_event(key) else None

    def keep_soon(self, key: str, kind: str, payload: str, user_id: str | None) -> Future[str | None]:
        kept: Future[str | None] = Future()
        kept.set_result(self.keep(key, kind, payload, user_id))
        return kept

    def begin(self, stored: str) -> bool:
        return True

    def done(self, stored: str) -> None:
        pass

    def failed(self, stored: str) -> None:
        pass

    def start(self, rerun: Callable[[Any], None]) -> object:
        return self  # nothing kept, nothing to run again


class MemoryFeedback:
    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def record(self, *, user_id: str, answer_id: str, helpful: bool, comment: str | None = None,
               passages: Sequence[str] | None = None) -> None:
        self.records.append({"user_id": user_id, "answer_id": answer_id, "helpful": helpful, "comment": comment,
                             "passages": passages})


class MemoryExerciseThreads:
    def __init__(self) -> None:
        self.sessions: dict[tuple[str, str], int] = {}

    def tie(self, thread_id: str, user_id: str, session_id: int) -> None:
        self.sessions[(thread_id, user_id)] = session_id

    def session_of(self, thread_id: str, user_id: str) -> int | None:
        return self.sessions.get((thread_id, user_id))


@dataclass
class CoachingServices:
    """The coaching core's dependencies: each call gets a fresh unit of work from `db`."""

    db: Any  # bot.storage.Database
    library: Any  # bot.coaching.exercises.ExerciseLibrary
    settings: Settings
    retriever: Retriever | None = None
    # Feedback from the model at the end of an exercise (bot.bootstrap.build_exercise_feedback); None: offline.
    feedback_coach: Any = None  # bot.coaching.reflection.FeedbackCoach
    # Exercise answers screened with the model's opinion on borderline ones (bot.bootstrap.build_safeguarding);
    # None: the offline screen alone.
    safeguarding: Any = None  # bot.coaching.reflection.ConcernScreen


@dataclass
class SlackServices:
    answerer: Answerer
    ledger: EventLedger = field(default_factory=MemoryLedger)
    inbox: DeliveryInbox = field(default_factory=MemoryInbox)
    feedback: FeedbackSink = field(default_factory=MemoryFeedback)
    exercise_threads: ExerciseThreads = field(default_factory=MemoryExerciseThreads)
    # Exercises, assessments, weekly prompts, home and data rights; without them those commands say so.
    coaching: CoachingServices | None = None
    # What guests and people from other organisations may use (settings slack_guest_access/slack_external_access).
    people: PeoplePolicy = field(default_factory=PeoplePolicy)
    # Whom this process has already given their one id (rows under earlier ids moved: bot/slack/identity.py).
    canonical_ids: CanonicalIds = field(default_factory=CanonicalIds)
