"""Reflective exercises in a DM thread: the opening, each step, the feedback and a quick check-in."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.coaching.exercises import Exercise, Step
from bot.coaching.reflection import ExerciseFeedback
from bot.retrieval.hits import Hit
from bot.slack.blocks.person import talk_button
from bot.slack.blocks.text import excerpt, split_text
from bot.slack.escaping import escape_for_slack

STEP_RATING = "exercise_rating"
STEP_FORM = "exercise_answer_form"
ANSWER_VIEW = "exercise_answer"
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "answer_input"
CHECKIN = "checkin_rating"
STEP_MOVE = "exercise_move"  # action ids exercise_move_back, _skip, _quit, _help: buttons beside each step


def opening_text(exercise: Exercise, resumed: bool, so_far: Sequence[str] = ()) -> str:
    """The opening of the thread; on resume, with a recap of the answers given before."""
    lead = "Welcome back: let's carry on with" if resumed else "Let's work through"
    recap = ("\n*So far you wrote*\n" + "\n".join(escape_for_slack(line) for line in so_far)) if so_far else ""
    return (f"{lead} *{escape_for_slack(exercise.title)}*.\n{escape_for_slack(exercise.summary)}{recap}\n"
            "_Answer each step by replying in this thread. Reply *back*, *skip*, *stop* or *help* to move around._")


def step_blocks(step: Step, number: int, total: int, ref: dict, before: str | None = None) -> list[dict]:
    """`ref` (session, step, channel, thread) travels in the buttons so a click finds its way back; `before` is
    the answer given to this step earlier (after going back)."""
    text = f"*Step {number} of {total}.* {escape_for_slack(step.prompt)}"
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if step.help:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape_for_slack(step.help)}]})
    if before:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape_for_slack(
            f"Your answer before: {excerpt(before)} (a new answer replaces it)")}]})
    if step.kind == "rating":
        labels = step.scale_labels or {}
        blocks.append({"type": "actions", "block_id": f"step.{ref['session']}.{step.id}", "elements": [
            {"type": "button", "action_id": f"{STEP_RATING}_{n}",
             "text": {"type": "plain_text", "text": f"{n}" + (f" {labels[n]}"[:70] if n in labels else "")},
             "value": json.dumps({**ref, "answer": n})} for n in range(1, 6)]})
    else:
        blocks.append({"type": "actions", "block_id": f"step.{ref['session']}.{step.id}", "elements": [
            {"type": "button", "action_id": STEP_FORM, "text": {"type": "plain_text", "text": "Answer in a form"},
             "value": json.dumps(ref)}]})
    moves = [("Back", "back")] if number > 1 else []
    moves += [("Skip", "skip"), ("Save and stop", "quit"), ("Help", "help")]
    blocks.append({"type": "actions", "block_id": f"moves.{ref['session']}.{step.id}", "elements": [
        *({"type": "button", "action_id": f"{STEP_MOVE}_{move}", "text": {"type": "plain_text", "text": label},
           "value": json.dumps(ref)} for label, move in moves), talk_button()]})
    return blocks


def answer_modal(step: Step, ref: dict) -> dict:
    return {
        "type": "modal", "callback_id": ANSWER_VIEW, "private_metadata": json.dumps(ref),
        "title": {"type": "plain_text", "text": "Your answer"}, "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [{"type": "input", "block_id": ANSWER_BLOCK,
                    "label": {"type": "plain_text", "text": step.prompt[:2000]},
                    "element": {"type": "plain_text_input", "action_id": ANSWER_INPUT, "multiline": True,
                                "max_length": 3000}}],
    }


def answer_from(view: dict) -> str:
    return view["state"]["values"].get(ANSWER_BLOCK, {}).get(ANSWER_INPUT, {}).get("value") or ""


def feedback_blocks(feedback: ExerciseFeedback, names: dict[str, str], session_id: int) -> list[dict]:
    recap = "\n".join(f"• {escape_for_slack(line)}" for line in feedback.recap)
    text = (f"*What you wrote*\n{recap}\n\n" if recap else "") + escape_for_slack(feedback.text)
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in split_text(text)]
    if feedback.notice:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape_for_slack(feedback.notice)}]})
    if feedback.citations:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "*From the guidance*"}]})
        for n, hit in enumerate(feedback.citations, start=1):
            blocks.append(_hit_section(n, hit, feedback.excerpts[n - 1] if n <= len(feedback.excerpts) else None))
            if n <= len(feedback.reasons):
                blocks.append({"type": "context", "elements": [
                    {"type": "mrkdwn", "text": escape_for_slack(feedback.reasons[n - 1])}]})
    for attribute_id in feedback.attribute_ids[:2]:  # a quick check-in: one or two attributes, not nine
        name = escape_for_slack(names.get(attribute_id, attribute_id))
        blocks.append({"type": "section", "block_id": f"checkin.{session_id}.{attribute_id}",
                       "text": {"type": "mrkdwn", "text": f"Quick check-in: how would you rate yourself on *{name}*?"},
                       "accessory": {"type": "static_select", "action_id": CHECKIN,
                                     "placeholder": {"type": "plain_text", "text": "1–5"},
                                     "options": [{"text": {"type": "plain_text", "text": str(n)},
                                                  "value": json.dumps({"session": session_id, "attribute": attribute_id,
                                                                       "rating": n})} for n in range(1, 6)]}})
    return blocks


def _hit_section(number: int, hit: Hit, shown: str | None = None) -> dict:
    """A passage: the part the feedback chose (from a sentence start), else the passage's opening."""
    text = (f"*[{number}]* {escape_for_slack(hit.title)}, {escape_for_slack(hit.citation)}\n"
            f"> {escape_for_slack(shown if shown else excerpt(hit.text))}")
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
