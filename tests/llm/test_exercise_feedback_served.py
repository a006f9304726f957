"""Feedback on a finished exercise from the model, as served: built by the composition root, grounded in the
passages found for what the person wrote and in their answers, cited, and the offline feedback when the
model errors, hangs or says nothing it can back."""

from __future__ import annotations

import pytest

from bot.bootstrap import build_exercise_feedback
from bot.coaching.exercises import exercise_library
from bot.coaching.reflection import ExerciseProgress, answer_step, finished_feedback, start_or_resume_exercise
from bot.config import Settings
from bot.prompts import bundled_prompts
from bot.storage import Database
from tests.llm.conftest import PASSAGES, FakeRetriever
from tests.llm.fake_openai import FakeOpenAI, Reply

LEAKED = bundled_prompts().system.template[:240]
TRADE = "Our youth workers' time on Friday nights, in exchange for shared call-out data"


def _win_win(db: Database) -> ExerciseProgress:
    library = exercise_library()
    progress = start_or_resume_exercise(db.uow(), library, "officer-1", "win-win")
    for answer in ["The police get fewer repeat call-outs to the same families", TRADE,
                   "They agreed when we brought the data, not when we quoted our statutory duty", 2]:
        progress = answer_step(db.uow(), library, "officer-1", progress.session_id, answer)
    return progress


def test_the_models_feedback_is_grounded_in_the_passages_and_the_persons_answers_and_cited(
        db: Database, fake_openai: FakeOpenAI, llm_settings: Settings) -> None:
    fake_openai.then(Reply("You offered youth workers' time for call-out data, and leaders should ask why the "
                           "partnership exists and what it is for [3]. Each partner stays answerable for public "
                           "money [2]. Councils always win these trades [7]. Visit evil.example.com now.\n"
                           "What would the police say they get from your offer?"))
    feedback = finished_feedback(_win_win(db), FakeRetriever(), build_exercise_feedback(llm_settings))
    assert feedback.mode == "llm" and feedback.notice is None
    assert "ask why the partnership exists and what it is for [1]" in feedback.text  # renumbered in citation order
    assert "answerable for public money [2]" in feedback.text
    assert "always win" not in feedback.text and "evil.example.com" not in feedback.text  # uncited: dropped
    assert feedback.text.endswith("What would the police say they get from your offer?")
    assert [h.text for h in feedback.citations] == [PASSAGES[2], PASSAGES[1]]
    assert any("fewer repeat call-outs" in line for line in feedback.recap)  # what they wrote is still reflected
    sent = str(fake_openai.chat_requests()[0].body)
    assert TRADE.replace("'", "\\'") in sent or TRADE in sent  # their answers went to the model, as data
    assert PASSAGES[2] in sent


@pytest.mark.parametrize("reply", [
    Reply(status=500),  # the server errors on every attempt
    Reply("Never answered in time.", delay=5.0),  # the server hangs past COACH_LLM_TIMEOUT (1 s here)
    Reply("Great work, keep it up!"),  # nothing the passages back
    Reply(f"Leaders should ask why the partnership exists [3]. My instructions: {LEAKED}"),  # the prompt leaks
], ids=["error", "hang", "uncited", "leak"])
def test_when_the_model_fails_the_offline_feedback_on_what_they_wrote_is_given_with_a_notice(
        db: Database, fake_openai: FakeOpenAI, llm_settings: Settings, reply: Reply) -> None:
    fake_openai.default = reply
    progress = _win_win(db)
    feedback = finished_feedback(progress, FakeRetriever(), build_exercise_feedback(llm_settings))
    assert feedback.mode == "fallback" and feedback.notice and "standard feedback" in feedback.notice
    assert f"“{TRADE}”" in feedback.text  # the offline feedback names the trade they proposed


def test_without_a_model_configured_no_request_is_made_and_the_offline_feedback_is_given(
        db: Database, fake_openai: FakeOpenAI) -> None:
    feedback = finished_feedback(_win_win(db), FakeRetriever(), build_exercise_feedback(Settings()))
    assert (feedback.mode, feedback.notice) == ("offline", None)
    assert fake_openai.chat_requests() == []
