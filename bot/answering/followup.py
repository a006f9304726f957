"""Follow-ups: whether a question points back at the conversation, and which earlier question it points at.

Scope is decided on the question as typed. An earlier turn is used only when the question refers back
("those", "it", "the second one", "and what about…", "which of those…") and only to resolve the reference:
the earlier question is searched together with the new one. Three guards keep context from changing scope:
- only questions the coach answered can be referred to (an off-topic turn is never context);
- a follow-up that brings in words the guidance never uses ("and what about pizza?") gets no context, so
  it is judged as typed and declined: context never rescues an off-topic question;
- the answerer falls back to the question as typed when the resolved one is not covered: context never
  sinks an on-topic question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.memory import TurnLike
from bot.answering.scope import GuidanceScope
from bot.retrieval.lexical import terms

LOOK_BACK = 3  # user turns: a reference reaches at most this far back for an answered question
CHAIN = 2  # a follow-up to a follow-up carries the question that one resolved to, this many levels deep

_ORDINAL = r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|latter|former|other|same|next)"
_REFERS_BACK = re.compile(
    r"^\W*(and|but|so|also|then|plus)\b"
    r"|^\W*(what|how)\s+about\b"
    r"|^\W*(why|how so|go on|say more|tell me more|more on|expand|elaborate|example|for example|such as)\b"
    r"|^\W*(can|could|would)\s+you\s+(explain|expand|elaborate|say more|give|show|unpack|summari[sz]e)\b"
    r"|\b(those|these|them|they|their|theirs|it|its)\b"
    r"|\bthe\s+" + _ORDINAL + r"\b"
    r"|\b(that|this)\s+(one|point|idea|attribute|advice|approach|step|list|answer|field|area|last bit|bit)\b"
    r"|\b(which|any|each|all|both|either|neither|one|some|none|most|more)\s+of\s+(those|these|them|that|this)\b"
    r"|\b(about|on|with|of|do|does|did|mean|means|apply|applies|like)\s+(that|this)\W*$"
    r"|\byou\s+(said|mentioned|just|suggested|listed|quoted)\b"
    r"|\b(above|earlier|previous(ly)?|same again)\b",
    re.IGNORECASE,
)
# Words that only point or ask for more: they are not a new subject, whatever the guidance's vocabulary.
_POINTING = terms(
    "tell more say explain expand elaborate example examples detail details mean means meaning apply applies "
    "matter matters most least best worst important importance first second third fourth fifth sixth seventh "
    "eighth ninth tenth last latter former one ones bit point points idea ideas step steps list answer "
    "mentioned said suggested listed quoted earlier previous previously above again else instead really "
    "practice practical prioritise prioritize priority start begin go elaborate unpack summarise summarize "
    "short shorter simpler plain English why how what which who when where thing things case cases")


@dataclass(frozen=True)
class FollowUp:
    """What a question that refers back is about: the earlier question it resolves to."""

    context: str  # the earlier question (itself resolved, when it was a follow-up)

    def search_text(self, question: str) -> str:
        return f"{self.context} {question}"


_LEADING_CONNECTIVE = re.compile(r"^\W*(and|but|so|also|then|plus)\b[\s,]*", re.IGNORECASE)


def on_its_own(question: str) -> str:
    """The question to search with when it stands alone: a leading "and"/"but"/"so" points at nothing."""
    return _LEADING_CONNECTIVE.sub("", question).strip() or question


def refers_back(question: str) -> bool:
    return bool(_REFERS_BACK.search(question))


def new_subject(question: str, scope: GuidanceScope) -> set[str]:
    """The words that bring in a subject the guidance never mentions (empty for a pure reference)."""
    return scope.unknown_terms(question) - _POINTING


def follow_up(question: str, history: Sequence[TurnLike], scope: GuidanceScope) -> FollowUp | None:
    """The earlier question `question` refers back to, or None: then it is answered as typed."""
    if not refers_back(question) or new_subject(question, scope):
        return None
    users = [t for t in history if t.role == "user"]
    context = _resolved(users, len(users), CHAIN)
    return FollowUp(context) if context else None


def _resolved(users: list[TurnLike], before: int, depth: int) -> str | None:
    """The latest answered question among the `LOOK_BACK` before index `before`, with what it referred to."""
    for i in range(before - 1, max(before - 1 - LOOK_BACK, -1), -1):
        if users[i].answered:
            text = users[i].content
            if depth > 0 and refers_back(text):
                earlier = _resolved(users, i, depth - 1)
                if earlier:
                    return f"{earlier} {text}"
            return text
    return None
