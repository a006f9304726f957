"""Running a reflective exercise in a DM thread: which thread belongs to which session, next steps, the end.

The thread is tied to its session through `services.exercise_threads` (in the database when served), so an
exercise carries on after a restart.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.assessments import latest_ratings
from bot.coaching.attributes import attributes
from bot.coaching.exercise_moves import (
    Move,
    answers_so_far,
    earlier_answer,
    go_back,
    help_text,
    parse_move,
    progress_of,
    skip_step,
)
from bot.coaching.reflection import ExerciseProgress, answer_step, finished_feedback, start_or_resume_exercise
from bot.errors import CoachError, NotForCoachingError
from bot.slack.blocks.commitments import ask_blocks as commitment_ask_blocks
from bot.slack.blocks.exercise import feedback_blocks, opening_text, step_blocks
from bot.slack.blocks.person import handoff_blocks
from bot.slack.escaping import escape_for_slack
from bot.slack.privacy_notice import notice_on_first_contact
from bot.slack.replies import open_dm, post_blocks
from bot.slack.services import CoachingServices, SlackServices

log = logging.getLogger(__name__)


def conversation_id(channel: str, thread_ts: str) -> str:
    # Its own namespace: the marker must never show up in the history an answerer reads for that thread.
    return f"slack-exercise:{channel}:{thread_ts}"


def tie_thread(services: SlackServices, channel: str, thread_ts: str, person: str, session_id: int) -> None:
    services.exercise_threads.tie(conversation_id(channel, thread_ts), person, session_id)


def session_of_thread(services: SlackServices, channel: str, thread_ts: str, person: str) -> int | None:
    return services.exercise_threads.session_of(conversation_id(channel, thread_ts), person)


def start_in_dm(services: SlackServices, client: WebClient, person: str, user_id: str,
                exercise_id: str | None) -> None:
    """Start or resume an exercise: an opening message in the user's DM, the next step in its thread."""
    coaching = services.coaching
    assert coaching is not None
    progress = start_or_resume_exercise(coaching.db.uow(), coaching.library, person, exercise_id)
    channel = open_dm(client, user_id)
    if channel is None:
        return
    notice_on_first_contact(services, client, person, channel)
    so_far = answers_so_far(progress) if progress.resumed else []
    root = client.chat_postMessage(channel=channel, text=opening_text(progress.exercise, progress.resumed, so_far))
    tie_thread(services, channel, root["ts"], person, progress.session_id)
    post_next(coaching, client, channel, root["ts"], progress)


def session_active(coaching: CoachingServices, session_id: int) -> bool:
    with coaching.db.uow() as uow:
        session = uow.exercises.get_session(session_id)
    return session is not None and session.status == "active"


def post_next(coaching: CoachingServices, client: WebClient, channel: str, thread_ts: str,
              progress: ExerciseProgress) -> None:
    """The next step, or the feedback and check-in when the exercise is finished."""
    try:
        if progress.next_step is not None:
            ref = {"session": progress.session_id, "step": progress.next_step.id, "channel": channel,
                   "thread": thread_ts}
            before = earlier_answer(progress, progress.next_step)
            said = None if before is None else before.answer or (f"{before.rating}/5" if before.rating else None)
            blocks = step_blocks(progress.next_step, progress.step_index + 1, len(progress.exercise.steps), ref, said)
            post_blocks(client, channel, progress.next_step.prompt[:300], blocks, thread_ts)
            return
        names = {a.id: a.name for a in attributes().attributes}
        feedback = finished_feedback(progress, coaching.retriever, coaching.feedback_coach, attribute_names=names,
                                     earlier_ratings=latest_ratings(coaching.db.uow(), progress.user_id))
        blocks = feedback_blocks(feedback, names, progress.session_id) + commitment_ask_blocks(
            progress.session_id, progress.exercise.id, channel, thread_ts)  # every exercise ends with a commitment
        post_blocks(client, channel, "Well done: that's the exercise finished.", blocks, thread_ts)
    except SlackApiError as exc:
        log.warning("exercise message not posted in %s: %s", channel, exc.response.get("error"))


def answer(coaching: CoachingServices, client: WebClient, person: str, session_id: int, value: str | int,
           channel: str, thread_ts: str, step_id: str | None = None) -> None:
    """An answer to the session's current step; a reply that is only back, skip, stop or help moves instead."""
    if isinstance(value, str) and (wanted := parse_move(value, bare_words=True)) is not None:
        move(coaching, client, person, session_id, wanted, channel, thread_ts)
        return
    try:
        progress = answer_step(coaching.db.uow(), coaching.library, person, session_id, value, step_id=step_id,
                               screen=coaching.safeguarding)
    except NotForCoachingError as exc:  # not for coaching: who to contact, and a person at one click
        text = escape_for_slack(str(exc))
        _post(client, channel, thread_ts, text, handoff_blocks(text))
        return
    except CoachError as exc:  # e.g. an empty answer or a rating out of range: say so in the thread
        _post(client, channel, thread_ts, escape_for_slack(str(exc)))
        return
    if step_id is not None and progress.exercise.steps[progress.step_index - 1].id != step_id:
        return  # a repeated click on a step already answered: the next step is already there
    post_next(coaching, client, channel, thread_ts, progress)


def move(coaching: CoachingServices, client: WebClient, person: str, session_id: int, wanted: Move, channel: str,
         thread_ts: str, step_id: str | None = None) -> None:
    """Back, skip, stop or help, from a button (with the step it was on) or a word in the thread."""
    library = coaching.library
    try:
        before = progress_of(coaching.db.uow(), library, person, session_id)
        if wanted is Move.BACK and before.step_index == 0:
            _post(client, channel, thread_ts, "This is the first step: there is no step before it.")
            return
        if wanted is Move.BACK:
            progress = go_back(coaching.db.uow(), library, person, session_id, step_id=step_id)
        elif wanted is Move.SKIP:
            progress = skip_step(coaching.db.uow(), library, person, session_id, step_id=step_id)
        else:
            progress = before
    except CoachError as exc:
        _post(client, channel, thread_ts, escape_for_slack(str(exc)))
        return
    if wanted is Move.QUIT:
        _post(client, channel, thread_ts, f"Saved after step {progress.step_index}. Reply in this thread or use "
              "`/coach reflect` to carry on where you left off.")
    elif wanted is Move.HELP:  # a button names its own step: an older step's Help gives that step's hint
        step = next((s for s in progress.exercise.steps if s.id == step_id), progress.next_step)
        _post(client, channel, thread_ts, escape_for_slack(help_text(step, slash=False)))
    elif progress.step_index != before.step_index:  # a repeated click moves nothing, and posts nothing
        post_next(coaching, client, channel, thread_ts, progress)


def _post(client: WebClient, channel: str, thread_ts: str, text: str, blocks: list[dict] | None = None) -> None:
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("exercise message not posted in %s: %s", channel, exc.response.get("error"))
