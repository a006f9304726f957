"""Feedback on a finished exercise through the model, held to the same grounding checks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.answering.exercise_feedback import NOTICE, LLMExerciseFeedback
from bot.coaching.reflection import ExerciseFeedback
from bot.config import Settings
from bot.llm.provider import build_chat_model
from tests.llm.conftest import PASSAGES, hit
from tests.llm.fake_openai import FakeOpenAI, Reply

PROGRESS = SimpleNamespace(
    exercise=SimpleNamespace(title="Who leads this partnership?"),
    answers=[SimpleNamespace(prompt="What does your partnership exist to do?", answer="Cut rough sleeping, "
                             "email me at sam@council.gov.uk", rating=None),
             SimpleNamespace(prompt="How dominant is the council?", answer=None, rating=4)],
)
OFFLINE = ExerciseFeedback(text="Templated feedback.", citations=tuple(hit(i, t) for i, t in enumerate(PASSAGES, 1)),
                           passages=(), attribute_ids=("shared-vision",))


def coach(settings: Settings) -> LLMExerciseFeedback:
    return LLMExerciseFeedback(build_chat_model(settings), settings=settings)


def test_feedback_on_what_the_user_wrote_is_grounded_and_cited(fake_openai: FakeOpenAI,
                                                               llm_settings: Settings) -> None:
    fake_openai.then(Reply("You put rough sleeping first, and leaders should ask why the partnership exists [3]. "
                           "Next step: ask partners what it is for [3]. Made-up claim about budgets [9].\n"
                           "What would your partners say it is for?"))
    answer = coach(llm_settings).feedback(PROGRESS, OFFLINE)  # type: ignore[arg-type]
    assert answer.mode == "llm"
    assert "[9]" not in answer.text and "budgets" not in answer.text
    assert [c.hit.chunk_id for c in answer.citations] == ["c3"]
    assert answer.reflective_question == "What would your partners say it is for?"
    sent = str(fake_openai.chat_requests()[0].body)
    assert "Cut rough sleeping" in sent and "sam@council.gov.uk" not in sent and ": 4" in sent


@pytest.mark.parametrize("reply", [Reply(status=500), Reply("Great work, no citations here."), Reply("```x```")])
def test_failed_or_ungrounded_feedback_gives_the_standard_feedback(fake_openai: FakeOpenAI, llm_settings: Settings,
                                                                   reply: Reply) -> None:
    fake_openai.default = reply
    answer = coach(llm_settings).feedback(PROGRESS, OFFLINE)  # type: ignore[arg-type]
    assert (answer.mode, answer.text, answer.notice) == ("fallback", "Templated feedback.", NOTICE)


def test_without_a_model_the_standard_feedback_is_given_quietly() -> None:
    answer = coach(Settings()).feedback(PROGRESS, OFFLINE)  # type: ignore[arg-type]
    assert (answer.mode, answer.notice) == ("offline", None)
