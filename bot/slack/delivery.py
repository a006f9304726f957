"""Posting an answer into a thread: streamed where Slack supports it, otherwise posted then updated."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.limits import fit_message

log = logging.getLogger(__name__)
STREAM_BUFFER = 200  # characters buffered between chat.appendStream calls: fewer calls, still lively
# Slack takes at most 12,000 characters of markdown_text per chat.startStream / appendStream call. The SDK's
# stream sends its whole buffer at once, so no piece handed to it may be longer than this less the buffer.
STREAM_TEXT_LIMIT = 12_000
STREAM_PIECE = STREAM_TEXT_LIMIT - STREAM_BUFFER - 1


@dataclass(frozen=True)
class Ending:
    """How an answer ends: its closing blocks, and the whole answer as blocks for when streaming fails."""

    closing: list[dict]
    body: list[dict]
    text: str
    replace_streamed: bool = False


@dataclass(frozen=True)
class Thread:
    channel: str
    thread_ts: str
    user_id: str | None = None
    team_id: str | None = None  # the user's own workspace (Slack wants it to stream to them), not their id's
    person: str | None = None  # bot.slack.people.person_of: who the answer is for, as the core knows them


def stream_reply(client: WebClient, thread: Thread, pieces: Iterable[str],
                 finish: Callable[[], Ending]) -> str | None:
    """Stream `pieces` as markdown, then end with `finish()`'s blocks; fall back to post-then-update.

    `finish` is called once the pieces are used up (a streaming answerer only knows its sources then).
    Returns the ts of the answer's message (None if Slack would not take it at all).
    """
    stream = client.chat_stream(channel=thread.channel, thread_ts=thread.thread_ts, buffer_size=STREAM_BUFFER,
                                recipient_user_id=thread.user_id, recipient_team_id=thread.team_id)
    iterator = iter(pieces)
    try:
        for piece in iterator:
            for part in within_limit(piece):
                stream.append(markdown_text=part)
        ending = finish()
        first, *more = fit_message(ending.closing)
        stream.stop(blocks=first)
        for chunk in more:  # sources beyond 50 blocks: the rest, feedback buttons last, in follow-ups
            post_reply(client, thread, chunk, ending.text)
        if ending.replace_streamed and stream.ts:
            # The final answer differs from what was streamed (e.g. a guard changed it): show the final one.
            post_reply(client, thread, ending.body + ending.closing, ending.text, update_ts=stream.ts)
        return stream.ts
    except SlackApiError as exc:
        error = exc.response.get("error")
        for _ in iterator:  # let the answer finish; the fallback posts it whole
            pass
        ending = finish()
        if stream.ts is not None:
            log.warning("chat stream stopped early in %s (%s); posting the answer whole", thread.channel, error)
            return post_reply(client, thread, ending.body + ending.closing, ending.text, update_ts=stream.ts)
        log.info("streaming unavailable in %s (%s); posting instead", thread.channel, error)
    return post_reply(client, thread, ending.body + ending.closing, ending.text)


def within_limit(piece: str, limit: int = STREAM_PIECE) -> list[str]:
    """`piece` in parts no longer than `limit`, cut after a space or newline where there is one."""
    parts = []
    while len(piece) > limit:
        cut = max(piece.rfind(" ", 0, limit), piece.rfind("\n", 0, limit)) + 1 or limit
        parts.append(piece[:cut])
        piece = piece[cut:]
    return [*parts, piece] if piece else parts


def post_reply(client: WebClient, thread: Thread, blocks: list[dict], text: str,
               update_ts: str | None = None) -> str | None:
    """Post (or update `update_ts` with) `blocks`, split into as many messages as Block Kit needs."""
    messages = fit_message(blocks)
    first_ts: str | None = None
    try:
        for i, chunk in enumerate(messages):
            if i == 0 and update_ts:
                client.chat_update(channel=thread.channel, ts=update_ts, text=text, blocks=chunk)
                first_ts = update_ts
            else:
                ts = client.chat_postMessage(channel=thread.channel, thread_ts=thread.thread_ts, text=text,
                                             blocks=chunk)["ts"]
                first_ts = first_ts or ts
    except SlackApiError as exc:
        log.warning("could not post the answer in %s: %s", thread.channel, exc.response.get("error"))
    return first_ts


