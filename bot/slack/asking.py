"""The asking flow shared by DMs, mentions and `/coach ask`: status, answer, stream, sources, feedback."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from itertools import chain

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import CoachError
from bot.slack.blocks.answer import answer_blocks, closing_blocks, fallback_text
from bot.slack.delivery import Ending, Thread, post_reply, stream_reply
from bot.slack.escaping import escape_for_slack
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.services import SlackServices
from bot.slack.streaming import AnswerStream

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
StatusSetter = Callable[..., object]  # Bolt's SetStatus: (status, loading_messages=...)
READING = "is reading the guidance…"
# Shown in turn under the status while an answer is composed (Slack rotates them).
LOADING_MESSAGES = ["Reading the partnership guidance…", "Finding the passages that fit…",
                    "Checking every sentence against its source…", "Thinking of a question to reflect on…"]
TITLE_CHARS = 60  # a thread title is a label in the Messages tab's list, not the whole question


def strip_mentions(text: str) -> str:
    """The question without `<@U…>` mentions of the coach (or anyone)."""
    return MENTION.sub(" ", text or "").strip()


def answer_in_thread(services: SlackServices, client: WebClient, thread: Thread, question: str,
                     question_ts: str, set_status: StatusSetter | None = None) -> str | None:
    """Answer `question` in `thread`; returns the ts of the answer message. `thread.person` None: nothing about
    the asker is kept (no conversation memory, no notice record)."""
    _status(set_status, READING, LOADING_MESSAGES)
    person = thread.person
    if person:
        notice_on_first_contact(services, client, person, thread.channel, thread.thread_ts)
    # The answerer keeps the conversation, keyed by thread and person; Slack only says which they are. For someone
    # nothing personal is kept about (bot/slack/standing.py) there is no person, so no conversation memory either.
    conversation = f"slack:{thread.channel}:{thread.thread_ts}" if person else None
    try:
        stream = AnswerStream(services.answerer, question, conversation, person)
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
    if ts is None:  # Slack clears the status itself when the answer is posted: one call fewer per answer
        _status(set_status, "")
    return ts


def title_thread(client: WebClient, thread: Thread, question: str) -> None:
    """Name a new thread in the Messages tab after its question (assistant.threads.setTitle)."""
    title = " ".join(question.split())
    if not title:
        return
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    try:
        client.assistant_threads_setTitle(channel_id=thread.channel, thread_ts=thread.thread_ts, title=title)
    except SlackApiError as exc:  # a title is a nicety: the answer goes ahead
        log.debug("thread title refused: %s", exc.response.get("error"))


def _status(set_status: StatusSetter | None, status: str, loading: list[str] | None = None) -> None:
    if set_status is None:
        return
    try:
        if loading:
            set_status(status=status, loading_messages=loading)
        else:
            set_status(status)
    except Exception as exc:  # a status is a nicety: outside assistant threads Slack may refuse it
        log.debug("set_status refused: %s", exc)


def _plain(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escape_for_slack(text)}}
