"""Block Kit rendering: escaping, and long answers split at Slack's limits without cutting a citation."""

from __future__ import annotations

import re

import pytest

from bot.answering.answer import Answer, Citation
from bot.slack.blocks.answer import answer_blocks, closing_blocks
from bot.slack.blocks.text import SECTION_LIMIT, split_text
from bot.slack.escaping import escape_for_slack
from bot.slack.limits import MARKER, PayloadTooLarge, fit_message, fit_view
from tests.slack.fakes import HIT


@pytest.mark.parametrize(("text", "expected"), [
    ("<!channel> hello", "&lt;!channel&gt; hello"),
    ("ping <@U123> and <!here|here>", "ping &lt;@U123&gt; and &lt;!here|here&gt;"),
    ("@channel @here @everyone", "@\u200bchannel @\u200bhere @\u200beveryone"),
    ("R&D <https://evil|click>", "R&amp;D &lt;https://evil|click&gt;"),
    ("plain [1] text", "plain [1] text"),
])
def test_escape_for_slack_neutralises_mentions_and_links(text: str, expected: str) -> None:
    assert escape_for_slack(text) == expected


def long_answer(sentences: int) -> str:
    return " ".join(f"Sentence {i} about sharing leadership with partners across the system. [{i % 9 + 1}]"
                    for i in range(sentences))


@pytest.mark.parametrize("sentences", [1, 40, 200, 1000])
def test_long_text_is_split_within_the_limit_and_never_before_a_citation(sentences: int) -> None:
    text = long_answer(sentences)
    pieces = split_text(text)
    assert all(len(p) <= SECTION_LIMIT for p in pieces)
    assert " ".join(pieces) == text
    for piece in pieces:
        assert not re.match(r"^\[\d+\]", piece)  # a citation never starts a piece, away from its sentence
        assert piece.endswith("]")  # every piece ends on a sentence with its marker


def test_one_huge_sentence_is_split_at_words_keeping_markers_with_their_word() -> None:
    text = ("word " * 2000).strip() + " [3] end."
    pieces = split_text(text, limit=500)
    assert all(len(p) <= 500 for p in pieces)
    assert any(p.endswith("word [3] end.") or "word [3]" in p for p in pieces)
    assert not any(p.startswith("[3]") for p in pieces)


def test_an_answer_longer_than_one_message_is_spread_over_several() -> None:
    answer = Answer(text=long_answer(3000), citations=[Citation(1, HIT)], covered=True, mode="llm")
    blocks = answer_blocks(answer) + closing_blocks(answer, "D1|1.0")
    messages = fit_message(blocks)
    assert len(messages) > 1 and all(len(m) <= 50 for m in messages)
    assert messages[-1][-1]["type"] == "context_actions"  # feedback stays at the very end


def test_the_assessment_modal_shows_every_behavioural_anchor_whole_and_is_a_valid_view() -> None:
    from slack_sdk.models.views import View

    from bot.coaching.attributes import attributes
    from bot.slack.blocks.assessment import assessment_modal

    view = assessment_modal(attributes())
    shown = "\n".join(block["text"]["text"] for block in view["blocks"] if block["type"] == "section")
    every_anchor = [text for attribute in attributes().attributes for text in attribute.anchors.values()]
    assert len(every_anchor) == 45
    assert all(escape_for_slack(text) in shown for text in every_anchor)
    View(**view).validate_json()  # slack_sdk's own checks of Block Kit limits


def test_a_message_over_50_blocks_goes_out_whole_in_order_with_the_feedback_buttons_last() -> None:
    answer = Answer(text="Short.", citations=[Citation(n, HIT) for n in range(1, 80)], covered=True, mode="llm")
    blocks = closing_blocks(answer, "D1|1.0")
    messages = fit_message(blocks)
    assert [len(m) for m in messages] == [50, len(blocks) - 50]
    assert [b for m in messages for b in m] == blocks
    assert messages[-1][-1]["block_id"] == "feedback"


def test_an_over_long_section_becomes_several_and_keeps_its_menu_on_the_last() -> None:
    menu = {"type": "static_select", "action_id": "m", "options": [
        {"text": {"type": "plain_text", "text": "a very long option " * 10}, "value": "1"}]}
    text = long_answer(200)
    [*pieces] = fit_message([{"type": "section", "block_id": "s", "text": {"type": "mrkdwn", "text": text},
                              "accessory": menu}])[0]
    assert len(pieces) > 1 and all(len(p["text"]["text"]) <= 3000 for p in pieces)
    assert " ".join(p["text"]["text"] for p in pieces) == text
    assert pieces[0]["block_id"] == "s" and "accessory" in pieces[-1] and "accessory" not in pieces[0]
    option = pieces[-1]["accessory"]["options"][0]["text"]["text"]
    assert len(option) == 75 and option.endswith(MARKER)


@pytest.mark.parametrize(("block", "path", "limit"), [
    ({"type": "header", "text": {"type": "plain_text", "text": "h" * 400}}, ("text", "text"), 150),
    ({"type": "context", "elements": [{"type": "mrkdwn", "text": "c" * 4000}]}, ("elements", 0, "text"), 3000),
    ({"type": "actions", "elements": [{"type": "button", "action_id": "b", "text": {"type": "plain_text",
                                                                                     "text": "b" * 90}}]},
     ("elements", 0, "text", "text"), 75),
])
def test_text_that_cannot_be_split_is_cut_with_a_marker(block: dict, path: tuple, limit: int) -> None:
    [[fitted]] = fit_message([block])
    value = fitted
    for key in path:
        value = value[key]
    assert len(value) == limit and value.endswith(MARKER)


def test_a_modal_title_is_cut_and_private_metadata_over_the_limit_is_refused() -> None:
    from slack_sdk.models.views import View

    view = {"type": "modal", "title": {"type": "plain_text", "text": "Thanks for the feedback on that answer"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 5000}}]}
    fitted = fit_view(view)
    assert len(fitted["title"]["text"]) == 24 and len(fitted["blocks"]) == 2
    View(**fitted).validate_json()
    with pytest.raises(PayloadTooLarge):
        fit_view({**view, "private_metadata": "m" * 3001})


def test_an_over_long_weekly_prompt_and_exercise_step_reach_slack_whole_not_refused(fake_slack) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from slack_sdk import WebClient

    from bot.coaching.exercises import Step
    from bot.coaching.scheduler import WeeklyPrompt
    from bot.slack.blocks.exercise import step_blocks
    from bot.slack.replies import post_blocks
    from bot.slack.weekly import deliver_by_dm

    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    prompt = WeeklyPrompt("slack:T1:U1", "2026-W49", "mapping-influence", "Mapping " * 500, "Where? " * 800,
                          ("influence",), datetime.now(UTC))
    deliver_by_dm(client, prompt)
    step = Step(id="where", prompt="Name a partner you cannot instruct. " * 200, kind="rating",
                scale_labels={1: "barely " * 20, 5: "very well"})
    post_blocks(client, "D1", step.prompt[:300], step_blocks(step, 1, 3, {"session": 1, "step": "where",
                                                                           "channel": "D1", "thread": "1.0"}))
    replies = fake_slack.exchanges("chat.postMessage")
    assert [r["ok"] for _, r in replies] == [True, True]  # the fake checks every block against Block Kit
    shown = " ".join(b["text"]["text"] for args, _ in replies for b in args["blocks"] if b["type"] == "section")
    words = " ".join(shown.split())
    assert " ".join(escape_for_slack(prompt.text).split()) in words  # split across sections, nothing lost
    assert " ".join(step.prompt.split()) in words
    buttons = [e for args, _ in replies for b in args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    labels = [b["text"]["text"] for b in buttons]
    assert all(len(label) <= 75 for label in labels)
    assert all(any(label.startswith(d) for label in labels) for d in "12345")  # no rating button dropped
    assert "Start now" in " ".join(labels)
