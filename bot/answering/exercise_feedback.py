"""Personal feedback on a finished reflective exercise through the model, with the same grounding checks.

    coach = LLMExerciseFeedback(build_chat_model(settings), settings=settings)
    offline = exercise_feedback(progress, retriever)      # bot.coaching.reflection: templated text + hits
    answer = coach.feedback(progress, offline)            # -> Answer (mode llm | fallback | offline)

The model sees the user's answers and the passages retrieved for them; its reply keeps only sentences that
cite a passage and share its words, plus the closing question. Anything else gives the offline feedback.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import SystemMessage
from langchain_core.prompts import ChatPromptTemplate

from bot.answering.answer import Answer, Citation
from bot.answering.citations import check_citations, number_passages
from bot.answering.guards import as_data, leaks_prompt, looks_like_code, neutralise_mentions, strip_identifiers
from bot.config import Settings
from bot.errors import LLMUnavailableError
from bot.llm.breaker import CircuitBreaker
from bot.llm.resilience import ModelCaller, Usage
from bot.prompts import Prompts, bundled_prompts

if TYPE_CHECKING:
    from bot.coaching.reflection import ExerciseFeedback, ExerciseProgress

NOTICE = "The language model is unavailable just now, so this is the standard feedback for the exercise."


class LLMExerciseFeedback:
    def __init__(self, chat_model: BaseChatModel | None, prompts: Prompts | None = None,
                 settings: Settings | None = None, breaker: CircuitBreaker | None = None) -> None:
        from bot.config import get_settings

        self.settings = settings or get_settings()
        self.prompts = prompts or bundled_prompts()
        self.breaker = breaker or CircuitBreaker(self.settings.llm_breaker_failures, self.settings.llm_breaker_reset)
        self._caller = ModelCaller(self.breaker, self.settings.llm_max_retries)
        self._chain = None if chat_model is None else ChatPromptTemplate.from_messages(
            [SystemMessage(content=self.prompts.system.template), ("human", self.prompts.exercise_feedback.template)]
        ) | chat_model

    def feedback(self, progress: ExerciseProgress, offline: ExerciseFeedback) -> Answer:
        started = time.perf_counter()
        hits = list(offline.citations)
        fallback = Answer(offline.text, [Citation(n, h) for n, h in enumerate(hits, 1)], covered=True,
                          mode="offline", attribute_id=offline.attribute_ids[0] if offline.attribute_ids else None)
        meta: dict[str, Any] = {"prompt_versions": self.prompts.versions(), "model": self.settings.llm_model}
        if self._chain is None or not hits:
            return replace(fallback, meta=meta)
        answers = "\n".join(
            f"- {as_data(a.prompt)}: {as_data(strip_identifiers(a.answer if a.answer else str(a.rating)))}"
            for a in progress.answers
        )
        usage = Usage()
        try:
            raw = self._caller.complete(self._chain, {"exercise": as_data(progress.exercise.title), "answers": answers,
                                                      "passages": number_passages(hits)},
                                        time.monotonic() + self.settings.llm_timeout, usage)
        except LLMUnavailableError as exc:
            return replace(fallback, mode="fallback", notice=NOTICE, meta={**meta, "failure": str(exc)})
        meta.update(usage=vars(usage), latency_ms=round((time.perf_counter() - started) * 1000, 1))
        checked = check_citations(neutralise_mentions(raw), hits)
        if leaks_prompt(raw, self.prompts.system.template) or looks_like_code(raw) or not checked.grounded:
            return replace(fallback, mode="fallback", notice=NOTICE, meta={**meta, "ungrounded": True})
        return Answer(checked.text, checked.citations, covered=True, mode="llm",
                      reflective_question=checked.reflective_question, attribute_id=fallback.attribute_id, meta=meta)
