"""An answer as Slack blocks: the text, a compact Sources section and feedback buttons."""

from __future__ import annotations

from bot.answering.answer import Answer, Citation
from bot.slack.blocks.feedback import feedback_block
from bot.slack.blocks.person import talk_button
from bot.slack.blocks.text import excerpt, split_text
from bot.slack.escaping import escape_for_slack

START_EXERCISE = "answer_start_exercise"


def answer_markdown(answer: Answer) -> str:
    """The answer body as streamed text (escaped): the answer, then the reflective question."""
    parts = [escape_for_slack(answer.text)]
    if answer.reflective_question:
        parts.append(reflection_markdown(answer))
    return "\n\n".join(parts)


def reflection_markdown(answer: Answer) -> str:
    return f"_To reflect on:_ {escape_for_slack(answer.reflective_question or '')}"


def answer_blocks(answer: Answer) -> list[dict]:
    """The answer body as section blocks (the fallback when streaming is unavailable)."""
    return [_section(piece) for piece in split_text(answer_markdown(answer))]


def closing_blocks(answer: Answer, feedback_key: str) -> list[dict]:
    """What ends every answer: notice, sources, the exercise it offers, and the feedback buttons last (they
    carry the passages the answer cited, so a verdict is stored with them)."""
    blocks: list[dict] = []
    if answer.notice:
        blocks.append(_context(escape_for_slack(answer.notice)))
    if answer.citations:
        blocks.append(_context("*Sources*"))
        blocks.extend(_section(piece) for c in answer.citations for piece in split_text(source_line(c)))
    moves = []
    if answer.exercise_id:  # the exercise that fits the answer, started in a DM thread like a weekly prompt's
        moves.append(_button("Try the exercise", START_EXERCISE, answer.exercise_id))
    if answer.meta.get("handoff"):  # not for coaching: a person, at one click
        moves.append(talk_button())
    if moves:
        blocks.append({"type": "actions", "block_id": "exercise", "elements": moves})
    blocks.append(feedback_block(feedback_key, [c.hit.chunk_id for c in answer.citations]))
    return blocks


def source_line(citation: Citation) -> str:
    hit = citation.hit
    return (f"*[{citation.number}]* {escape_for_slack(hit.title)}, {escape_for_slack(hit.citation)}\n"
            f"> {escape_for_slack(excerpt(hit.text))}")


def fallback_text(answer: Answer) -> str:
    """Plain text for notifications and screen readers."""
    return escape_for_slack(answer.text[:300])


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _button(label: str, action_id: str, value: str) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": action_id,
            "value": value}
