"""Commitments in Slack: the step that ends an exercise, its form, the weekly follow-up buttons, and the
"what the coach remembers" modal."""

from __future__ import annotations

import json

from bot.coaching.commitments import ASK_WHAT, OUTCOME_WORDS, describe
from bot.coaching.model import Commitment
from bot.coaching.remembers import Remembered
from bot.slack.escaping import escape_for_slack

COMMITMENT_FORM = "commitment_form"
COMMITMENT_NONE = "commitment_none"
COMMITMENT_VIEW = "commitment_made"
CORRECT_VIEW = "commitment_corrected"
WHAT_BLOCK, WHAT_INPUT = "commitment_what", "what_input"
BY_BLOCK, BY_INPUT = "commitment_by", "by_input"
WITH_BLOCK, WITH_INPUT = "commitment_with", "with_input"
# The follow-up buttons: action id -> what the core keeps.
OUTCOME_ACTIONS = {"commitment_done": "done", "commitment_not_yet": "not yet", "commitment_drop": "drop"}
OUTCOME_LABELS = {"commitment_done": "Done", "commitment_not_yet": "Not yet", "commitment_drop": "Drop it"}
REMEMBERS_VIEW = "remembers"
REMEMBERS_DELETE = "remembers_delete"
REMEMBERS_CORRECT = "remembers_correct"
REMEMBERS_FORGET_TURNS = "remembers_forget_turns"
ASK_BLOCK = "commitment_ask"
FOLLOW_UP_BLOCK = "follow_up"  # the follow-up on a weekly prompt: "follow_up.text", "follow_up", "follow_up.settled"


def ask_blocks(session_id: int, exercise_id: str, channel: str, thread_ts: str) -> list[dict]:
    """The commitment step that ends an exercise: a form, or no commitment this time."""
    value = json.dumps({"session": session_id, "exercise": exercise_id, "channel": channel, "thread": thread_ts})
    return [
        {"type": "section", "block_id": f"{ASK_BLOCK}.text",
         "text": {"type": "mrkdwn", "text": f"*{ASK_WHAT}* By when, and with whom? Each part is optional."}},
        {"type": "actions", "block_id": ASK_BLOCK, "elements": [
            {"type": "button", "action_id": COMMITMENT_FORM, "style": "primary", "value": value,
             "text": {"type": "plain_text", "text": "Make a commitment"}},
            {"type": "button", "action_id": COMMITMENT_NONE, "value": value,
             "text": {"type": "plain_text", "text": "Not this time"}}]},
    ]


def commitment_modal(ref: dict, commitment: Commitment | None = None) -> dict:
    """The form: what, by when (a date picker), with whom; pre-filled when correcting `commitment`."""
    what = {"type": "plain_text_input", "action_id": WHAT_INPUT, "multiline": True, "max_length": 1000}
    by: dict = {"type": "datepicker", "action_id": BY_INPUT}
    whom = {"type": "plain_text_input", "action_id": WITH_INPUT, "max_length": 300}
    if commitment is not None:
        what["initial_value"] = commitment.what
        if commitment.due_on:
            by["initial_date"] = f"{commitment.due_on:%Y-%m-%d}"
        if commitment.with_whom:
            whom["initial_value"] = commitment.with_whom
    return {
        "type": "modal", "callback_id": CORRECT_VIEW if commitment else COMMITMENT_VIEW,
        "private_metadata": json.dumps(ref),
        "title": {"type": "plain_text", "text": "Correct a commitment" if commitment else "Your commitment"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {"type": "input", "block_id": WHAT_BLOCK, "optional": commitment is None, "element": what,
             "label": {"type": "plain_text", "text": "What will you do?"}},
            {"type": "input", "block_id": BY_BLOCK, "optional": True, "element": by,
             "label": {"type": "plain_text", "text": "By when?"}},
            {"type": "input", "block_id": WITH_BLOCK, "optional": True, "element": whom,
             "label": {"type": "plain_text", "text": "With whom?"}},
        ],
    }


def submitted(view: dict) -> tuple[str, str | None, str]:
    """(what, by as YYYY-MM-DD or None, with whom) from the submitted form."""
    values = view["state"]["values"]
    what = values.get(WHAT_BLOCK, {}).get(WHAT_INPUT, {}).get("value") or ""
    by = values.get(BY_BLOCK, {}).get(BY_INPUT, {}).get("selected_date") or None
    whom = values.get(WITH_BLOCK, {}).get(WITH_INPUT, {}).get("value") or ""
    return what, by, whom


def follow_up_blocks(question: str, commitment_id: int, block_id: str = FOLLOW_UP_BLOCK) -> list[dict]:
    """'Last week you said you would … How did it go?' with Done / Not yet / Drop it."""
    value = json.dumps({"commitment": commitment_id})
    return [
        {"type": "section", "block_id": f"{block_id}.text",
         "text": {"type": "mrkdwn", "text": escape_for_slack(question)}},
        {"type": "actions", "block_id": block_id, "elements": [
            {"type": "button", "action_id": action_id, "value": value,
             "text": {"type": "plain_text", "text": OUTCOME_LABELS[action_id]},
             **({"style": "primary"} if action_id == "commitment_done" else {})}
            for action_id in OUTCOME_ACTIONS]},
    ]


def replace_block(blocks: list[dict], block_id: str, text: str) -> list[dict]:
    """The message's blocks with the actions block `block_id` replaced by `text` (the rest kept as they were)."""
    return [{"type": "context", "block_id": f"{block_id}.settled", "elements": [{"type": "mrkdwn", "text": text}]}
            if b.get("block_id") == block_id else b for b in blocks]


def home_blocks(commitments: list[Commitment]) -> list[dict]:
    """The Home tab's commitments: the open ones with their follow-up buttons, then the last few settled."""
    waiting = [c for c in commitments if not c.settled][-5:]
    settled = [c for c in commitments if c.settled][-3:]
    if not waiting and not settled:
        return [_section("*Your commitments*\nNone yet: each exercise ends with the chance to make one.")]
    blocks = [_section("*Your commitments*")]
    for c in waiting:
        blocks += follow_up_blocks(f"You said you would {describe(c)} ({OUTCOME_WORDS[c.status]}).", c.id,
                                   block_id=f"home_commitment.{c.id}")
    if settled:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "\n".join(
            f"{OUTCOME_WORDS[c.status].capitalize()}: {escape_for_slack(describe(c))}" for c in settled)[:3000]}]})
    return blocks


def remembers_view(found: Remembered, retention_days: int) -> dict:
    """Everything the coach remembers about the person, each commitment with Correct / Delete."""
    blocks: list[dict] = [_section("*Your commitments*" if found.commitments else
                                   "*Your commitments*\nNone.")]
    for c in found.commitments[-20:]:
        value = json.dumps({"commitment": c.id})
        blocks.append({"type": "section", "block_id": f"remembered.{c.id}",
                       "text": {"type": "mrkdwn", "text": escape_for_slack(
                           f"{describe(c)} ({OUTCOME_WORDS[c.status]}; made {c.created_at:%d %b %Y})")[:3000]}})
        blocks.append({"type": "actions", "block_id": f"remembered_actions.{c.id}", "elements": [
            {"type": "button", "action_id": REMEMBERS_CORRECT, "value": value,
             "text": {"type": "plain_text", "text": "Correct"}},
            {"type": "button", "action_id": REMEMBERS_DELETE, "value": value, "style": "danger",
             "text": {"type": "plain_text", "text": "Delete"}}]})
    asked = "\n".join(f"• {t.created_at:%d %b}: {escape_for_slack(' '.join(t.content.split())[:150])}"
                      for t in found.questions[-5:])
    blocks.append({"type": "divider"})
    blocks.append(_section(f"*Conversation memory*: {len(found.turns)} message(s) in {found.conversations} "
                           f"conversation(s), kept {retention_days} days so I can follow a conversation."
                           + (f"\nYour latest questions:\n{asked}" if asked else "")))
    if found.turns:
        blocks.append({"type": "actions", "block_id": "remembered_turns", "elements": [
            {"type": "button", "action_id": REMEMBERS_FORGET_TURNS, "style": "danger", "value": "turns",
             "text": {"type": "plain_text", "text": "Clear my conversation memory"}}]})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                   "Your ratings and reflections: `/coach my-data` (a copy), `/coach forget-me` (erase everything)."}]})
    return {"type": "modal", "callback_id": REMEMBERS_VIEW, "title": {"type": "plain_text", "text": "What I remember"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": blocks[:100]}


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}
