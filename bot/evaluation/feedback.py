"""What people's verdicts on answers say about the guidance: which passages stood behind answers found unhelpful.

Read from the stored verdicts (one per person and answer); the figures carry no person's id and no comment, so
they can be shared with whoever maintains the gold sets. A passage cited by several answers marked unhelpful is
a candidate for a new gold question or a retrieval fix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.coaching.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PassageVerdicts:
    chunk_id: str
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class FeedbackSummary:
    verdicts: int
    helpful: int
    answers: int  # distinct answers with at least one verdict
    with_comment: int
    passages: list[PassageVerdicts] = field(default_factory=list)  # most "not helpful" first

    @property
    def helpful_rate(self) -> float:
        return self.helpful / self.verdicts if self.verdicts else 0.0


def feedback_summary(uow: UnitOfWork) -> FeedbackSummary:
    with uow:
        verdicts = uow.feedback.all()
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for verdict in verdicts:
        for chunk_id in set(verdict.passages or ()):
            (up if verdict.helpful else down)[chunk_id] += 1
    passages = [PassageVerdicts(c, up[c], down[c]) for c in set(up) | set(down)]
    passages.sort(key=lambda p: (-p.not_helpful, -p.helpful, p.chunk_id))
    return FeedbackSummary(verdicts=len(verdicts), helpful=sum(v.helpful for v in verdicts),
                           answers=len({v.answer_id for v in verdicts}),
                           with_comment=sum(v.comment is not None for v in verdicts), passages=passages)
