"""Moving through an exercise in a DM thread as a person would: a non-answer asked again, feedback that names
what they wrote, back and skip (buttons or words), stop and resume with a recap, the model's feedback, and
"I'd like to talk to a person"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.bootstrap import build_exercise_feedback
from bot.coaching.attributes import attributes
from bot.coaching.exercises import load_exercises
from bot.config import Settings, get_settings
from tests.llm.conftest import PASSAGES, FakeRetriever
from tests.llm.fake_openai import FakeOpenAI, Reply
from tests.slack.conftest import SlackHarness, eventually
from tests.slack.signed import trigger_id
from tests.slack.test_asking import dm

CONTACT = "Priya Shah, coaching programme lead, 020 7946 0000"
_ts = iter(range(1, 10_000))


@pytest.fixture
def h(coached: SlackHarness, tmp_path: Path) -> SlackHarness:
    """The app over a three-step exercise whose feedback quotes the trade the person proposes."""
    folder = tmp_path / "moves"
    folder.mkdir()
    (folder / "trade.yaml").write_text(yaml.safe_dump({
        "id": "trade", "title": "A win for every partner", "summary": "What could you trade?",
        "attributes": attributes().ids[:2],
        "passages": [{"source": "tizard-leading-questions-2010", "quote": "leadership"}],
        "steps": [
            {"id": "partner", "prompt": "Name one partner and what they get.", "kind": "text",
             "recap": "The partner you named", "help": "Say what they get in their own terms."},
            {"id": "offer", "prompt": "What could you offer them?", "kind": "text", "recap": "Your offer"},
            {"id": "balance", "prompt": "How even are the gains?", "kind": "rating"},
        ],
        "feedback": "Next step: offer {answer.offer} before you ask for anything.",
    }), encoding="utf-8")
    coaching = coached.services.coaching
    assert coaching is not None
    coaching.library = load_exercises(folder)
    coaching.settings = coaching.settings.model_copy(update={"support_person": CONTACT})
    return coached


def flat(blocks: object) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def posts(h: SlackHarness) -> list[dict]:
    return h.api.called("chat.postMessage")


def start(h: SlackHarness) -> str:
    h.slack.command("reflect")
    first = h.api.wait_for("chat.postMessage", count=3)[-1]  # privacy notice, opening, step 1
    assert "Step 1 of 3" in first["blocks"][0]["text"]["text"]
    return str(first["thread_ts"])


def reply(h: SlackHarness, thread: str, text: str) -> dict:
    count = len(posts(h))
    h.slack.event(dm(text, ts=f"1700005{next(_ts):03d}.000100", thread_ts=thread))
    return h.api.wait_for("chat.postMessage", count=count + 1)[-1]


def click(h: SlackHarness, message: dict, label: str) -> dict:
    count = len(posts(h))
    button = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["text"]["text"] == label)
    h.slack.action(button["action_id"], button["value"])
    return h.api.wait_for("chat.postMessage", count=count + 1)[-1]


def stored(h: SlackHarness) -> list[tuple[str, str | None, int | None]]:
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        return [(r.step_id, r.answer, r.rating) for r in uow.exercises.reflections("slack:T1:U1")]


def test_a_non_answer_is_asked_again_with_the_hint_and_the_feedback_names_what_was_written(h: SlackHarness) -> None:
    thread = start(h)
    again = reply(h, thread, "idk")
    assert "placeholder" in again["text"] and "in their own terms" in again["text"]
    assert stored(h) == []
    step2 = reply(h, thread, "The police, who get fewer repeat call-outs")
    assert "Step 2 of 3" in step2["blocks"][0]["text"]["text"]
    reply(h, thread, "Youth workers on Friday nights for shared call-out data")
    done = click(h, posts(h)[-1], "4")
    text = flat(done["blocks"])
    assert "The partner you named: “The police, who get fewer repeat call-outs”" in text
    assert "offer “Youth workers on Friday nights for shared call-out data” before you ask" in text


def test_back_replaces_the_earlier_answer_and_skip_stores_nothing_for_the_step(h: SlackHarness) -> None:
    thread = start(h)
    step2 = reply(h, thread, "The police and their call-outs")
    step1 = click(h, step2, "Back")
    assert "Step 1 of 3" in step1["blocks"][0]["text"]["text"]
    assert "Your answer before: The police and their call-outs" in flat(step1["blocks"])
    assert "Back" not in flat([b for b in step1["blocks"] if b["type"] == "actions"])  # none before step 1
    reply(h, thread, "The fire service, who get safer homes")
    step3 = reply(h, thread, "skip")  # the word in the thread, as the button would
    assert "Step 3 of 3" in step3["blocks"][0]["text"]["text"]
    count = len(posts(h))
    h.slack.action(*next((e["action_id"], e["value"]) for b in step2["blocks"] if b["type"] == "actions"
                         for e in b["elements"] if e["text"]["text"] == "Back"))  # a stale Back from step 2
    helped = reply(h, thread, "help")
    assert len(posts(h)) == count + 1 and "skip: leave this step out" in helped["text"]
    click(h, step3, "5")
    assert stored(h) == [("partner", "The fire service, who get safer homes", None), ("balance", None, 5)]


def test_the_help_button_shows_the_steps_hint_in_the_thread_and_stores_nothing(h: SlackHarness) -> None:
    thread = start(h)
    step1 = posts(h)[-1]
    helped = click(h, step1, "Help")
    assert helped["thread_ts"] == thread and helped["channel"] == "D1"
    assert "On this step: Say what they get in their own terms." in helped["text"]
    assert "skip: leave this step out" in helped["text"]  # and how to move around
    assert stored(h) == []
    step2 = reply(h, thread, "The police, who get fewer repeat call-outs")
    assert "Step 2 of 3" in step2["blocks"][0]["text"]["text"]
    assert "On this step" not in click(h, step2, "Help")["text"]  # step 2 has no hint: the moves only
    assert "in their own terms" in click(h, step1, "Help")["text"]  # an older step's Help: that step's hint
    assert stored(h) == [("partner", "The police, who get fewer repeat call-outs", None)]


def test_stopping_saves_and_coming_back_opens_with_a_recap_of_the_earlier_answers(h: SlackHarness) -> None:
    thread = start(h)
    step2 = reply(h, thread, "The police, who get fewer repeat call-outs")
    saved = click(h, step2, "Save and stop")
    assert "Saved after step 1" in saved["text"]
    count = len(posts(h))
    h.slack.command("reflect")
    opening, resumed_step = h.api.wait_for("chat.postMessage", count=count + 2)[-2:]
    assert opening["text"].startswith("Welcome back")
    assert "1. The partner you named: “The police, who get fewer repeat call-outs”" in opening["text"]
    assert "Step 2 of 3" in resumed_step["blocks"][0]["text"]["text"]


def test_talk_to_a_person_sends_the_configured_contact_and_not_the_conversation(h: SlackHarness) -> None:
    thread = start(h)
    step2 = reply(h, thread, "The police, who get fewer repeat call-outs")
    contacts = click(h, step2, "I'd like to talk to a person")
    assert CONTACT in contacts["text"] and contacts["thread_ts"] == "1700000000.000001"
    assert all("call-outs" not in flat(p) for p in posts(h)[-1:])
    assert {p["channel"] for p in posts(h)} == {"D1"}  # to the person only: nothing goes to anyone else
    handoff = reply(h, thread, "I'm being bullied by my director and I can't cope")
    assert "I haven't kept what you wrote" in handoff["text"]
    assert any(e["text"]["text"] == "I'd like to talk to a person" for b in handoff["blocks"] if b["type"] == "actions"
               for e in b["elements"])
    count = len(posts(h))
    h.slack.interaction({"type": "block_actions", "user": {"id": "U1"}, "trigger_id": trigger_id(),
                         "view": {"id": "V1"},
                         "container": {"type": "view", "view_id": "V1"}, "actions": [
                             {"action_id": "talk_to_person", "block_id": "talk_to_person", "value": "person",
                              "type": "button"}]})  # from the Home tab: to their DM
    from_home = h.api.wait_for("chat.postMessage", count=count + 1)[-1]
    assert CONTACT in from_home["text"] and from_home["channel"] == "D1"


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeOpenAI, Settings]]:
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
        monkeypatch.setenv("COACH_LLM_TIMEOUT", "1.0")
        get_settings.cache_clear()
        yield server, Settings()
    get_settings.cache_clear()


@pytest.mark.parametrize("works", [True, False], ids=["grounded", "server-hangs"])
def test_with_a_model_the_feedback_is_the_models_cited_or_the_standard_one_when_it_hangs(
        h: SlackHarness, model: tuple[FakeOpenAI, Settings], works: bool) -> None:
    server, settings = model
    server.default = Reply("Your offer of youth workers fits: leaders should ask why the partnership exists "
                           "and what it is for [3].\nWhat would the police say?") if works else Reply("x", delay=5)
    coaching = h.services.coaching
    assert coaching is not None
    coaching.retriever, coaching.feedback_coach = FakeRetriever(), build_exercise_feedback(settings)
    thread = start(h)
    reply(h, thread, "The police, who get fewer repeat call-outs")
    step3 = reply(h, thread, "Youth workers on Friday nights for shared call-out data")
    text = flat(click(h, step3, "3")["blocks"])
    assert "The partner you named" in text  # what they wrote is reflected back either way
    if works:
        assert "what it is for [1]" in text and PASSAGES[2][:60] in text and "What would the police say?" in text
    else:
        assert "standard feedback" in text and "offer “Youth workers on Friday nights" in text
    assert eventually(lambda: server.chat_requests())


def test_an_answer_that_hands_off_carries_the_talk_to_a_person_button_and_an_ordinary_one_does_not() -> None:
    from bot.answering.answer import Answer
    from bot.slack.blocks.answer import closing_blocks

    def buttons(answer: Answer) -> list[str]:
        return [e["action_id"] for b in closing_blocks(answer, "D1|1") if b["type"] == "actions"
                for e in b["elements"]]

    assert "talk_to_person" in buttons(Answer("Who to contact …", [], covered=False, mode="declined",
                                              meta={"handoff": "distress"}))
    assert "talk_to_person" not in buttons(Answer("An answer [1].", [], covered=True, mode="offline"))
