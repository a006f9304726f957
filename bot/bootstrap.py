"""The one composition root: settings in, the answerer and its dependencies out, every one passed explicitly.

The CLI (`coach ask`, `coach chat`), Slack (bot.slack.wiring) and the evaluations (`coach eval ...`) all get
their answerer from `build_answerer`, so what is evaluated is what is served (tests/answering/
test_composition.py compares the object graphs). Only the memory differs by surface: the database for Slack
(shared by every worker, covered by export and erasure), the process for a terminal session.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.answering.coverage import DEFAULT_RULE, CoverageRule
from bot.answering.llm import LLMAnswerer
from bot.answering.memory import InMemoryTurnStore, TurnStore
from bot.answering.offline import OfflineAnswerer
from bot.answering.scope import RuleScope
from bot.config import Settings, get_settings
from bot.retrieval.embeddings import build_embedder
from bot.retrieval.hits import Retriever
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.snapshot import open_for_search

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.answering.exercise_feedback import LLMExerciseFeedback
    from bot.coaching.safeguarding_model import ModelSafeguarding

log = logging.getLogger(__name__)
CONFIGURED: Any = object()  # "the model these settings configure" (None means offline, whatever is configured)


def build_retriever(settings: Settings | None = None) -> HybridRetriever:
    settings = settings or get_settings()
    embedder = build_embedder(settings)
    store = open_for_search(settings.index_dir, embedder.name, settings.chroma_url)
    return HybridRetriever(store, embedder)


_shared: tuple[Settings, HybridRetriever] | None = None


def retriever() -> HybridRetriever:
    """The process-wide retriever for the default settings, built on first use and again whenever the
    settings are reloaded (tests, or one process serving several data directories in turn)."""
    global _shared
    settings = get_settings()
    if _shared is None or _shared[0] is not settings:
        _shared = (settings, build_retriever(settings))
    return _shared[1]


def retriever_for(settings: Settings) -> HybridRetriever:
    """The shared retriever for the default settings, a fresh one for any other settings object."""
    return retriever() if settings is get_settings() else build_retriever(settings)


def build_answerer(settings: Settings, search: HybridRetriever, *, turns: TurnStore | None,
                   chat_model: BaseChatModel | None = CONFIGURED, rule: CoverageRule = DEFAULT_RULE,
                   passages: Retriever | None = None) -> LLMAnswerer:
    """The served answerer: the model when one is configured (`chat_model=None` forces offline), the offline
    engine as its fallback, one coverage rule for both, the attribute linker, and the memory `turns`.

    `passages` replaces where the model's passages come from (the attack evaluation plants text in them);
    coverage and the offline engine still read the real index.
    """
    if chat_model is CONFIGURED:
        from bot.llm.provider import build_chat_model

        chat_model = build_chat_model(settings)
    engine = OfflineAnswerer(search, k=settings.retrieval_k, rule=rule, max_question_chars=settings.max_question_chars,
                             trusted_documents=settings.trusted_documents, knowledge_dir=settings.knowledge_dir)
    return LLMAnswerer(passages or search, chat_model, engine, scope=RuleScope(search, rule), linker=engine.linker,
                       turns=turns, settings=settings, safeguarding=build_safeguarding(settings, chat_model))


def build_safeguarding(settings: Settings, chat_model: BaseChatModel | None = CONFIGURED) -> ModelSafeguarding:
    """The safeguarding decision for messages and exercise answers: the offline screen, and the model's opinion
    on the borderline ones when a model is configured (the answerer's own model when given)."""
    from bot.coaching.safeguarding_model import ModelSafeguarding

    if chat_model is CONFIGURED:
        from bot.llm.provider import build_chat_model

        chat_model = build_chat_model(settings)
    return ModelSafeguarding(chat_model, settings)


def answerer() -> LLMAnswerer:
    """What `coach ask` and `coach chat` talk to: memory for as long as the terminal session lasts."""
    settings = get_settings()
    return build_answerer(settings, retriever_for(settings), turns=InMemoryTurnStore())


def build_exercise_feedback(settings: Settings, chat_model: BaseChatModel | None = CONFIGURED) -> LLMExerciseFeedback:
    """Feedback on a finished exercise from the model these settings configure (the answerer's own model when
    given: `build_exercise_feedback(settings, answerer.chat_model)`), checked like answers, the offline
    feedback when there is no model or it fails. The CLI (`coach reflect`) and Slack both build it here."""
    from bot.answering.exercise_feedback import LLMExerciseFeedback

    if chat_model is CONFIGURED:
        from bot.llm.provider import build_chat_model

        chat_model = build_chat_model(settings)
    return LLMExerciseFeedback(chat_model, settings=settings)
