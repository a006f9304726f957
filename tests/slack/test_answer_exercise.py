"""The exercise an answer offers: a button under the answer that starts it in a DM thread."""

from __future__ import annotations

from bot.answering.answer import Answer
from bot.slack.blocks.answer import START_EXERCISE, closing_blocks
from tests.slack.conftest import SlackHarness
from tests.slack.fake_slack_api import FakeSlackAPI


def _buttons(answer: Answer) -> dict[str, str]:
    return {e["action_id"]: e["value"] for b in closing_blocks(answer, "answer-1") if b["type"] == "actions"
            for e in b["elements"]}


def test_an_answer_that_offers_an_exercise_carries_a_button_for_it() -> None:
    offered = Answer("Text [1].", [], covered=True, mode="offline", exercise_id="cost-shunting")
    assert _buttons(offered)[START_EXERCISE] == "cost-shunting"
    assert START_EXERCISE not in _buttons(Answer("Text.", [], covered=False, mode="declined"))


def test_the_button_starts_that_exercise_in_a_thread(exercise_harness: SlackHarness,
                                                     fake_slack: FakeSlackAPI) -> None:
    h = exercise_harness
    library = h.services.coaching.library  # type: ignore[union-attr]
    exercise = library.ids[0]
    container = {"type": "message", "channel_id": "D1", "message_ts": "1700000000.000100"}
    h.slack.action(START_EXERCISE, exercise, container=container)
    step = h.api.wait_for("chat.postMessage", count=3)[-1]  # consent notice, opening, first step
    assert "Step 1 of" in step["blocks"][0]["text"]["text"]
    opening = h.api.wait_for("chat.postMessage", count=3)[-2]
    assert library.get(exercise).title in opening["text"]
