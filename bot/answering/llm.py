"""The answerer that is served: it keeps the conversation, decides scope, and answers with the model when one
is configured (condense a follow-up, retrieve, answer from numbered passages, check) or else with the offline
engine. Built only by bot.bootstrap, which hands it every dependency.

    answer = answerer.answer("How do I lead without dominating?", "thread-1", user_id="slack:T1:U1")
    stream = answerer.stream(question, conversation_id, user_id=person)  # iterate for text as the model
    for piece in stream: ...                                             # writes it, then stream.answer

Streamed text is released a sentence at a time, each only after the checks the final answer gets (citations,
leaks, code, mentions, links: see stream_checks), so nothing unchecked is ever shown. The final answer may still
be the offline one or a refusal; callers show the pieces live, then replace them with `stream.answer` if it differs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.answering.answer import Answer, AnswerStream, StandaloneAnswerer
from bot.answering.attribute_link import AttributeLinker
from bot.answering.citations import CheckedText, check_citations, number_passages
from bot.answering.followup import FollowUp, follow_up, on_its_own
from bot.answering.guards import (
    STEER_BACK,
    as_data,
    leaks_prompt,
    looks_like_code,
    neutralise_mentions,
    screen_question,
    strip_identifiers,
)
from bot.answering.links import link_policy, neutralise_answer, neutralise_links
from bot.answering.memory import TurnLike, TurnStore, TurnText, format_history
from bot.answering.near_miss import HELP_WITH, near_miss_decline, outside_guidance
from bot.answering.question import clean_question
from bot.answering.scope import GuidanceScope
from bot.answering.screening import drop_unsafe_sentences, usable_passages
from bot.answering.stream_checks import SentenceGate
from bot.coaching.safeguarding import handoff, search_embedding
from bot.coaching.safeguarding_model import ModelSafeguarding
from bot.config import Settings
from bot.errors import LLMUnavailableError
from bot.llm.breaker import CircuitBreaker
from bot.llm.provider import announce_offline_once
from bot.llm.resilience import ModelCaller, Usage
from bot.observability.metrics import observe_answer
from bot.prompts import Prompts, bundled_prompts
from bot.retrieval.chunking import passage_sentences
from bot.retrieval.hits import Hit, Retriever

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)
HISTORY_TURNS = 12
FALLBACK_NOTICE = "The language model is unavailable just now, so this is the offline answer from the guidance."
UNGROUNDED_NOTICE = "The model's answer could not be checked against the guidance, so this is the offline answer."
# Every decline says what the coach can help with instead, with a model as without one.
NOT_COVERED = f"The partnership leadership guidance does not cover this, so I won't guess. {HELP_WITH}"


class LLMAnswerer:
    """`chat_model` None: every answer is the offline engine's (`fallback`), with the same memory and scope."""

    def __init__(self, retriever: Retriever, chat_model: BaseChatModel | None, fallback: StandaloneAnswerer, *,
                 scope: GuidanceScope, linker: AttributeLinker | None, turns: TurnStore | None,
                 settings: Settings, prompts: Prompts | None = None,
                 breaker: CircuitBreaker | None = None, safeguarding: ModelSafeguarding | None = None) -> None:
        self.settings = settings
        self.prompts = prompts or bundled_prompts()
        self.breaker = breaker or CircuitBreaker(self.settings.llm_breaker_failures, self.settings.llm_breaker_reset)
        self._retriever = retriever
        self._model = chat_model
        self._fallback = fallback
        self._scope = scope  # the same coverage rule the offline engine declines by, so both decline alike
        self._linker = linker
        self._turns = turns
        self._caller = ModelCaller(self.breaker, self.settings.llm_max_retries)
        # Without one given: the offline screen alone (a model's opinion is wired in by bot.bootstrap).
        self._safeguarding = safeguarding or ModelSafeguarding(None, settings)
        self._links = link_policy(self.settings.link_allowlist)
        # The chain's steps as LangChain runnables; `_steps` threads them with the checks between.
        self._condense = None
        self._generate = None
        if chat_model is not None:
            # Imported here: offline `coach ask` should not pay LangChain's import time at start-up.
            from langchain_core.messages import SystemMessage
            from langchain_core.output_parsers import StrOutputParser
            from langchain_core.prompts import ChatPromptTemplate

            system = SystemMessage(content=self.prompts.system.template)
            self._condense = ChatPromptTemplate.from_messages(
                [system, ("human", self.prompts.condense.template)]) | chat_model | StrOutputParser()
            self._generate = ChatPromptTemplate.from_messages([system, ("human", self.prompts.answer.template)]) \
                | chat_model
        else:
            announce_offline_once()

    @property
    def chat_model(self) -> BaseChatModel | None:
        return self._model

    def answer(self, question: str, conversation_id: str | None = None, *, user_id: str | None = None) -> Answer:
        return self.stream(question, conversation_id, user_id=user_id).answer

    def stream(self, question: str, conversation_id: str | None = None, *,
               user_id: str | None = None) -> AnswerStream:
        return AnswerStream(self._steps(question, conversation_id, user_id))

    # -- the chain ----------------------------------------------------------------------------------------
    def _steps(self, question: str, conversation_id: str | None,
               user_id: str | None) -> Generator[str, None, Answer]:
        started = time.perf_counter()
        deadline = time.monotonic() + self.settings.llm_timeout
        question, notice = clean_question(question, self.settings.max_question_chars)
        if concern := self._safeguarding.detect(question, search_embedding(self._retriever)):
            # Not for coaching (distress, bullying, safeguarding, whistleblowing, HR, "a person, please"): kind
            # words and the organisation's contacts, and nothing of the message is remembered.
            reply = handoff(concern, self.settings)
            return Answer(reply.text, [], covered=False, mode="declined",
                          meta={"handoff": concern.value, "scope": "handoff", "latency_ms": _ms(started)})
        history = self._history(conversation_id, user_id)
        meta: dict[str, Any] = {"prompt_versions": self.prompts.versions(), "model": self.settings.llm_model}
        usage = Usage()
        if kind := screen_question(question):  # offline too: the extractive answerer would quote at it
            answer = Answer(STEER_BACK[kind], [], covered=False, mode="declined", notice=notice,
                            meta={"screened": kind})
        elif near := outside_guidance(question):  # law, procedure, figures: the guidance never gives them
            answer = Answer(near_miss_decline(near), [], covered=False, mode="declined", notice=notice,
                            meta={"near_miss": near})
        else:
            # Scope is the question's own; earlier turns only resolve a reference back to an answered question.
            earlier = follow_up(question, history, self._scope)
            if earlier is not None:
                meta["context"] = earlier.context
            if self._condense is None or self._generate is None:
                answer = self._offline(question, earlier, None, notice)
            else:
                try:
                    answer = yield from self._ask_model(question, earlier, history, deadline, usage, meta, notice)
                except LLMUnavailableError as exc:
                    meta["failure"] = str(exc)
                    answer = self._offline(question, earlier, FALLBACK_NOTICE, notice)
        scope = answer.meta.get("scope") or meta.get("scope") or "standalone"
        meta["scope"] = scope if answer.covered else "declined"  # standalone | follow-up | declined
        if meta["scope"] != "follow-up":
            meta.pop("context", None)
        answer = neutralise_answer(answer, self._links)  # offline and model answers alike
        answer = replace(answer, meta={**answer.meta, **meta, "latency_ms": _ms(started), "usage": dict(vars(usage))})
        self._remember(conversation_id, user_id, question, answer)
        log.info("answer mode=%s latency_ms=%.0f model_ms=%s tokens_in=%d tokens_out=%d retries=%d prompts=%s",
                 answer.mode, answer.meta["latency_ms"], answer.meta.get("model_ms"), usage.input_tokens,
                 usage.output_tokens, usage.retries, meta["prompt_versions"])
        observe_answer(answer.mode, answer.meta["latency_ms"] / 1000, usage.input_tokens, usage.output_tokens)
        return answer

    def _ask_model(self, question: str, earlier: FollowUp | None, history: list[TurnLike], deadline: float,
                   usage: Usage, meta: dict[str, Any], notice: str | None) -> Generator[str, None, Answer]:
        model_seconds = 0.0
        searched = on_its_own(question)  # what is searched without context; the turn stores what was typed
        standalone = searched
        if earlier is not None:  # only a question that refers back is rewritten, and only to resolve it
            t = time.perf_counter()
            condensed = self._caller.complete(self._condense, {
                "history": format_history(history), "question": as_data(strip_identifiers(question))}, deadline, usage)
            model_seconds += time.perf_counter() - t
            lines = [line.strip() for line in condensed.strip().splitlines() if line.strip()]
            # A rewrite that tries something other than a question is ignored, not obeyed.
            if lines and not screen_question(lines[0]):
                standalone = lines[0][: self.settings.max_question_chars]
            meta["standalone_question"] = standalone
        hits = self._passages(standalone)
        covered = self._scope.covers(standalone, hits)
        if not covered and standalone != searched:  # context never sinks a question the guidance covers
            standalone, hits = searched, self._passages(searched)
            covered = self._scope.covers(searched, hits)
        meta["top_similarity"] = max((h.similarity for h in hits), default=0.0)
        meta["scope"] = "declined" if not covered else "follow-up" if standalone != searched else "standalone"
        if not covered:  # the guidance is not about this: decline rather than improvise
            return Answer(NOT_COVERED, [], covered=False, mode="declined", notice=notice)
        pieces: list[str] = []
        t = time.perf_counter()
        # Each sentence is shown only once it passes the checks below (see stream_checks).
        gate = SentenceGate(lambda text: self._checked_text(text, hits))
        for piece in self._caller.stream(self._generate, {
                "passages": number_passages(hits), "question": as_data(strip_identifiers(standalone))},
                deadline, usage):
            if not pieces:
                meta["first_token_ms"] = _ms(t)
            pieces.append(piece)
            if released := gate.feed(piece):
                yield released
        if released := gate.finish():
            yield released
        meta["model_ms"] = round((model_seconds + time.perf_counter() - t) * 1000, 1)
        raw = "".join(pieces)
        if leaks_prompt(raw, self.prompts.system.template) or looks_like_code(raw):
            meta["refused_output"] = True
            return Answer(STEER_BACK["system_prompt" if not looks_like_code(raw) else "code"], [],
                          covered=False, mode="declined", notice=notice)
        checked = self._checked(raw, hits)
        meta.update(removed_citations=checked.removed_numbers, dropped_sentences=len(checked.dropped_sentences),
                    streamed_text_replaced=checked.text != raw.strip())
        if not checked.grounded:
            return self._offline(question, earlier, UNGROUNDED_NOTICE, notice)
        attribute = None if self._linker is None else self._linker.closest(
            standalone, [s for c in checked.citations for s in passage_sentences(c.hit.text)])
        return Answer(checked.text, checked.citations, covered=True, mode="llm", notice=notice,
                      reflective_question=checked.reflective_question or (attribute.question if attribute else None),
                      attribute_id=attribute.id if attribute else None)

    def _checked_text(self, raw: str, hits: list[Hit]) -> str | None:
        """What may be shown of the model's text so far: None if it leaks the prompt or holds code."""
        if leaks_prompt(raw, self.prompts.system.template) or looks_like_code(raw):
            return None
        return neutralise_links(self._checked(raw, hits).text, self._links)

    def _checked(self, raw: str, hits: list[Hit]) -> CheckedText:
        return check_citations(neutralise_mentions(drop_unsafe_sentences(raw)), hits)

    def _passages(self, question: str) -> list[Hit]:
        # Planted instructions go before anything sees the passages: the prompt, the checks, the citations.
        return usable_passages(self._retriever.search(question, k=self.settings.retrieval_k),
                               self.settings.trusted_documents)

    def _offline(self, question: str, earlier: FollowUp | None, why: str | None, notice: str | None) -> Answer:
        """The offline engine's answer: to the resolved follow-up when that is covered, else to the question
        as typed (context never sinks a question the guidance covers)."""
        answer, scope = None, "standalone"
        if earlier is not None:
            answer, scope = self._fallback.answer(earlier.search_text(question)), "follow-up"
        if answer is None or not answer.covered:
            answer, scope = self._fallback.answer(on_its_own(question)), "standalone"
        meta = {**answer.meta, "scope": scope if answer.covered else "declined"}
        if not answer.covered:
            return replace(answer, text=answer.text or NOT_COVERED, notice=_join(why, notice, answer.notice),
                           meta=meta)
        mode = answer.mode if why is None else "fallback"
        return replace(answer, mode=mode, notice=_join(why, notice, answer.notice), meta=meta)

    def _history(self, conversation_id: str | None, user_id: str | None) -> list[TurnLike]:
        if self._turns is None or not conversation_id:
            return []
        try:
            return list(self._turns.recent_turns(conversation_id, user_id, HISTORY_TURNS))
        except Exception:  # memory is a nicety: answer the question on its own rather than not at all
            log.warning("could not read conversation turns", exc_info=True)
            return []

    def _remember(self, conversation_id: str | None, user_id: str | None, question: str, answer: Answer) -> None:
        """What the person typed and what they were told, both tied to the person (export and erasure find them)."""
        if self._turns is None or not conversation_id:
            return
        try:
            self._turns.append_turns(conversation_id, user_id, [TurnText("user", question, answer.covered),
                                                                TurnText("assistant", answer.text)])
        except Exception:  # memory is a nicety: the answer still goes out
            log.warning("could not store conversation turns", exc_info=True)


def _join(*notices: str | None) -> str | None:
    return " ".join(dict.fromkeys(n for n in notices if n)) or None


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
