"""Personal feedback on a finished reflective exercise through the model, held to the checks answers get.

    coach = bootstrap.build_exercise_feedback(settings)   # the one composition root builds it
    offline = exercise_feedback(progress, retriever)      # bot.coaching.reflection: templated text + hits
    answer = coach.feedback(progress, offline)            # -> Answer (mode llm | fallback | offline)
    shown = coach.personal(progress, offline)             # -> ExerciseFeedback, what the CLI and Slack show

The model sees the user's answers and the passages retrieved for them (planted instructions removed, as for
answers). Its reply is streamed through the same sentence gate as answers (a leak of the prompt or code stops
it), and keeps only sentences that cite a passage and share its words, plus the closing question; addresses
the policy does not allow are defanged. A failure, a timeout or nothing grounded gives the offline feedback.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.answering.answer import Answer, Citation
from bot.answering.citations import CheckedText, check_citations, number_passages
from bot.answering.guards import as_data, leaks_prompt, looks_like_code, neutralise_mentions, strip_identifiers
from bot.answering.links import link_policy, neutralise_answer, neutralise_links
from bot.answering.screening import drop_unsafe_sentences, usable_passages
from bot.answering.stream_checks import SentenceGate
from bot.config import Settings
from bot.errors import LLMUnavailableError
from bot.llm.breaker import CircuitBreaker
from bot.llm.resilience import ModelCaller, Usage
from bot.prompts import Prompts, bundled_prompts
from bot.retrieval.hits import Hit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.coaching.reflection import ExerciseFeedback, ExerciseProgress

log = logging.getLogger(__name__)
NOTICE = "The language model is unavailable just now, so this is the standard feedback for the exercise."


class LLMExerciseFeedback:
    def __init__(self, chat_model: BaseChatModel | None, prompts: Prompts | None = None,
                 settings: Settings | None = None, breaker: CircuitBreaker | None = None) -> None:
        from bot.config import get_settings

        self.settings = settings or get_settings()
        self.prompts = prompts or bundled_prompts()
        self.breaker = breaker or CircuitBreaker(self.settings.llm_breaker_failures, self.settings.llm_breaker_reset)
        self._caller = ModelCaller(self.breaker, self.settings.llm_max_retries)
        self._links = link_policy(self.settings.link_allowlist)
        self._chain: Any = None
        if chat_model is not None:
            # Imported here, as in LLMAnswerer: a worker with no model configured never loads LangChain (~20 MiB).
            from langchain_core.messages import SystemMessage
            from langchain_core.prompts import ChatPromptTemplate

            self._chain = ChatPromptTemplate.from_messages(
                [SystemMessage(content=self.prompts.system.template),
                 ("human", self.prompts.exercise_feedback.template)]) | chat_model

    @property
    def uses_model(self) -> bool:
        return self._chain is not None

    def feedback(self, progress: ExerciseProgress, offline: ExerciseFeedback) -> Answer:
        started = time.perf_counter()
        hits = usable_passages(list(offline.citations), self.settings.trusted_documents)
        fallback = Answer(offline.text, [Citation(n, h) for n, h in enumerate(offline.citations, 1)], covered=True,
                          mode="offline", attribute_id=offline.attribute_ids[0] if offline.attribute_ids else None)
        meta: dict[str, Any] = {"prompt_versions": self.prompts.versions(), "model": self.settings.llm_model}
        if self._chain is None or not hits:
            return replace(fallback, meta=meta)
        answers = "\n".join(
            f"- {as_data(a.prompt)}: {as_data(strip_identifiers(a.answer if a.answer else str(a.rating)))}"
            for a in progress.answers
        )
        usage = Usage()
        gate = SentenceGate(lambda text: self._shown(text, hits))
        pieces: list[str] = []
        try:
            for piece in self._caller.stream(self._chain, {"exercise": as_data(progress.exercise.title),
                                                           "answers": answers, "passages": number_passages(hits)},
                                             time.monotonic() + self.settings.llm_timeout, usage):
                pieces.append(piece)
                gate.feed(piece)
                if gate.stopped and self._shown("".join(pieces), hits) is None:
                    break  # a leak or code: nothing more of it is read, the offline feedback is given
        except LLMUnavailableError as exc:
            return replace(fallback, mode="fallback", notice=NOTICE, meta={**meta, "failure": str(exc)})
        raw = "".join(pieces)
        meta.update(usage=vars(usage), latency_ms=round((time.perf_counter() - started) * 1000, 1))
        checked = self._checked(raw, hits)
        if leaks_prompt(raw, self.prompts.system.template) or looks_like_code(raw) or not checked.grounded:
            return replace(fallback, mode="fallback", notice=NOTICE, meta={**meta, "ungrounded": True})
        answer = Answer(checked.text, checked.citations, covered=True, mode="llm",
                        reflective_question=checked.reflective_question, attribute_id=fallback.attribute_id, meta=meta)
        return neutralise_answer(answer, self._links)

    def personal(self, progress: ExerciseProgress, offline: ExerciseFeedback) -> ExerciseFeedback:
        """What is shown: the model's checked feedback and the passages it cited (each with why it was found),
        or the offline feedback with a notice when the model failed. The recap of what was written stays."""
        answer = self.feedback(progress, offline)
        if answer.mode != "llm":
            return replace(offline, mode=answer.mode, notice=answer.notice)
        reasons = dict(zip((h.chunk_id for h in offline.citations), offline.reasons, strict=False))
        excerpts = dict(zip((h.chunk_id for h in offline.citations), offline.excerpts, strict=False))
        cited = tuple(c.hit for c in sorted(answer.citations, key=lambda c: c.number))
        text = answer.text + (f"\n\n{answer.reflective_question}" if answer.reflective_question else "")
        log.info("exercise feedback mode=llm latency_ms=%s", answer.meta.get("latency_ms"))
        shown = tuple(excerpts.get(h.chunk_id, "") for h in cited)  # the same part of each passage as offline
        return replace(offline, text=text, citations=cited, reasons=tuple(reasons.get(h.chunk_id, "") for h in cited),
                       excerpts=shown if all(shown) else (), mode="llm", notice=None)

    def _checked(self, raw: str, hits: list[Hit]) -> CheckedText:
        return check_citations(neutralise_mentions(drop_unsafe_sentences(raw)), hits)

    def _shown(self, raw: str, hits: list[Hit]) -> str | None:
        if leaks_prompt(raw, self.prompts.system.template) or looks_like_code(raw):
            return None
        return neutralise_links(self._checked(raw, hits).text, self._links)
