"""The asking flow shared by DMs, mentions and `/coach ask`: status, answer, stream, sources, feedback."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from itertools import chain

from slack_sdk import WebClient

from bot.answering.guards import escape_for_slack
from bot.errors import CoachError
from bot.slack.blocks.answer import answer_blocks, closing_blocks, fallback_text
from bot.slack.delivery import Ending, Thread, post_reply, stream_reply
from bot.slack.people import person_id
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.services import SlackServices
from bot.slack.streaming import AnswerStream, is_conversational

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
StatusSetter = Callable[[str], object]
FOLLOW_UP_WORDS = 15  # longer questions stand on their own


def strip_mentions(text: str) -> str:
    """The question without `<@U…>` mentions of the coach (or anyone)."""
    return MENTION.sub(" ", text or "").strip()


def answer_in_thread(services: SlackServices, client: WebClient, thread: Thread, question: str,
                     question_ts: str, set_status: StatusSetter | None = None) -> str | None:
    """Answer `question` in `thread`; returns the ts of the answer message."""
    _status(set_status, "is reading the guidance…")
    if thread.user_id:
        notice_on_first_contact(services, client, person_id(thread.team_id, thread.user_id), thread.channel,
                                thread.thread_ts)
    conversation = f"slack:{thread.channel}:{thread.thread_ts}"
    conversational = is_conversational(services.answerer)
    asked = question
    if not conversational or not services.llm_configured:
        # Without a model nothing rewrites a follow-up into a standalone question: search it with the last one.
        earlier = [text for role, text in services.conversations.recent(conversation, 6) if role == "user"]
        asked = with_context(earlier, question)
    try:
        stream = AnswerStream(services.answerer, asked, conversation)
        pieces = iter(stream)
        first = next(pieces, None)  # the answerer has started (or failed) before anything is posted
    except CoachError as exc:  # e.g. an empty question: tell the user what to do, in the thread
        return post_reply(client, thread, [_plain(str(exc))], escape_for_slack(str(exc)))

    def finish() -> Ending:
        answer = stream.answer
        assert answer is not None, "an answerer's stream must end with the Answer"
        return Ending(closing_blocks(answer, f"{thread.channel}|{question_ts}"), answer_blocks(answer),
                      fallback_text(answer), replace_streamed=stream.changed)

    ts = stream_reply(client, thread, chain([first] if first else [], pieces), finish)
    if not conversational and stream.answer is not None:  # a conversational answerer keeps its own turns
        person = person_id(thread.team_id, thread.user_id) if thread.user_id else None
        services.conversations.append(conversation, person, "user", asked)
        services.conversations.append(conversation, person, "assistant", stream.answer.text)  # written to them
    _status(set_status, "")
    return ts


def with_context(earlier_questions: list[str], question: str) -> str:
    """A follow-up ("and with the NHS?") is searched together with the question it follows."""
    if not earlier_questions or len(question.split()) > FOLLOW_UP_WORDS:
        return question
    return f"{earlier_questions[-1]} {question}"


def _status(set_status: StatusSetter | None, status: str) -> None:
    if set_status is None:
        return
    try:
        set_status(status)
    except Exception as exc:  # a status is a nicety: outside assistant threads Slack may refuse it
        log.debug("set_status refused: %s", exc)


def _plain(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escape_for_slack(text)}}
