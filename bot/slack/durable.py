"""Acknowledged work that outlives its worker: Slack does not resend what was acknowledged, so a delivery whose
work must not be lost is stored in the inbox (bot/storage/inbox.py) before its ack, and its work after the ack
records the outcome. A worker that dies leaves the row behind; another worker's inbox upkeep hands it to
`redeliver`, which runs the listener's work again through Bolt like the first time, with this worker's client.

    app.event("message")(ack=partial(keep_then_ack, services), lazy=[durably(services, partial(answer, services))])

The inbox key is also the retry dedup: a Slack retry (or a doubled form submission) of a delivery already kept is
acknowledged and dropped, whether its work is done, running, or waiting for another worker to take it over.

Over HTTP the ack functions run on the event loop, and the INSERT is queued to the inbox's writer thread, which
stores a burst's deliveries in one transaction (bot/storage/inbox.py): the server sends the ack once the row is
committed (`acks_after_keeping`), and the work after the ack waits for the row before it begins.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.errors import StorageUnavailableError
from bot.slack.people import person_of
from bot.slack.request_kind import request_kind
from bot.slack.services import SlackServices
from bot.storage.repositories.inbox import Delivery

log = logging.getLogger(__name__)
KEPT = "inbox_key"  # in Bolt's context: the stored key of the delivery this request's work must finish
COPY = "inbox_copy"  # in Bolt's context: the delivery was kept before, by this request's first copy
KEEPING = "inbox_keeping"  # in Bolt's context: the inbox row being stored, until the work settles it
RERUN = "inbox_rerun"  # in Bolt's context: this run is not the delivery's first (its worker died, or it failed)
UNSTORED = "inbox_unstored"  # in Bolt's context: the key of a delivery acknowledged while the database was down
LATE_KEEP_SECONDS = 20.0  # how long the work of an unstored delivery waits for the database to keep it after all
LAZY_NAME = "run_kept"  # the name Bolt knows the lazy part by, for running it alone again
# What the work functions may ask Bolt for (durably() refuses others, so redeliver() can always supply them).
GIVEN = ("body", "event", "view", "client", "context", "set_status")


def delivery_key(body: dict[str, Any]) -> str | None:
    """Slack's own id of a delivery: the event id (the same on every retry), the submitted view's id (a
    modal closes once its submission is accepted, so one id is one submission), or the trigger id of a slash
    command or a click (Slack makes one per invocation and does not retry either)."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    view = body.get("view") or {}
    if body.get("type") == "view_submission" and view.get("id"):
        return f"view:{view['id']}"
    if body.get("type") == "block_actions" and body.get("trigger_id"):
        return f"action:{body['trigger_id']}"
    if isinstance(body.get("command"), str) and body.get("trigger_id"):
        return f"command:{body['trigger_id']}"
    return None


# Set by the HTTP server around a dispatch: the rows its ack must wait for (see acks_after_keeping).
_ack_waits_for: ContextVar[list[Future[str | None]] | None] = ContextVar("ack_waits_for", default=None)


def keep(services: SlackServices, body: dict[str, Any], context: BoltContext, key: str | None = None) -> bool:
    """Before the ack: store the delivery (under `key`, else `delivery_key`). False for a copy of one stored
    before (it is dropped). Inside `acks_after_keeping` it only queues the row and returns True: the HTTP
    response waits for it instead.

    When the database cannot store it, the delivery is acknowledged unstored: its work tries to keep it again
    for a while (`keep_late`, a restart is over in seconds), and if the outage outlasts that, meets it and tells
    the person, in their thread or DM, to send it again (bot/slack/storage_outage.py). Failing the ack instead
    would leave Slack retrying into the outage, three times at most, and then dropping it without a word."""
    key = key or delivery_key(body)
    if key is None:
        return True
    keeping = services.inbox.keep_soon(key, request_kind(body), _payload(body), _person(context))
    keeping.add_done_callback(partial(_log_outcome, request_kind(body)))
    context[KEEPING] = _Keeping(keeping, key)
    waits = _ack_waits_for.get()
    if waits is not None:
        waits.append(keeping)
        return True
    _settle(context)
    return not context.get(COPY)


@contextmanager
def acks_after_keeping() -> Iterator[list[Future[str | None]]]:
    """Around a dispatch on the event loop: `keep` queues its row instead of waiting for it, and the rows to wait
    for (`kept`) before the ack is sent are collected in the list this yields."""
    waits: list[Future[str | None]] = []
    token = _ack_waits_for.set(waits)
    try:
        yield waits
    finally:
        _ack_waits_for.reset(token)


async def kept(waits: list[Future[str | None]]) -> bool:
    """Once the rows are stored, or could not be for an outage (acknowledged unstored, as in `keep`): True.
    False if one failed otherwise: the request fails, and Slack sends it again."""
    outcomes = await asyncio.gather(*(asyncio.wrap_future(w) for w in waits), return_exceptions=True)
    return not any(isinstance(o, BaseException) and not isinstance(o, StorageUnavailableError) for o in outcomes)


class _Keeping:
    """The row `keep` queued. Bolt hands the work a deep copy of the context; this is the same row in both."""

    def __init__(self, future: Future[str | None], key: str) -> None:
        self.future = future
        self.key = key

    def __deepcopy__(self, memo: dict[int, Any]) -> _Keeping:
        return self


def _settle(context: BoltContext) -> None:
    """Wait for the row `keep` queued, and note in the context what came of it (KEPT, COPY, or neither)."""
    keeping = context.pop(KEEPING, None)
    if keeping is None:
        return
    if keeping.future.cancelled():  # the request was given up before its row was stored, so never acknowledged
        context[COPY] = True  # (Slack sends it again): nothing to do here
        return
    try:
        stored = keeping.future.result()
    except StorageUnavailableError:
        context[UNSTORED] = keeping.key  # acknowledged unstored: the work tries to keep it late (keep_late)
        return
    if stored is None:
        context[COPY] = True
    else:
        context[KEPT] = stored


def _log_outcome(kind: str, keeping: Future[str | None]) -> None:
    if keeping.cancelled():
        return
    error = keeping.exception()
    if isinstance(error, StorageUnavailableError):
        log.warning("the inbox could not store a delivery (%s): acknowledged unstored", kind)
    elif error is None and keeping.result() is None:
        log.info("dropped a redelivery (%s)", kind)


def keep_then_ack(services: SlackServices, ack: Ack, body: dict, context: BoltContext) -> None:
    """The ack function of a listener whose work is durable: one INSERT, then the ack."""
    keep(services, body, context)
    ack()


def durably(services: SlackServices, work: Callable[..., None]) -> Callable[..., None]:
    """The lazy part of a listener whose ack function kept the delivery: runs `work` unless the delivery is a
    copy, then records the outcome (an error is tried again later, a few times in all)."""
    wanted = list(inspect.signature(work).parameters)
    if unknown := set(wanted) - set(GIVEN):
        raise TypeError(f"durably(): the work asks for {sorted(unknown)}; it may ask only for {GIVEN}")

    def run_kept(body: dict, event: dict | None, view: dict | None, client: WebClient, context: BoltContext,
                 set_status: Any) -> None:
        _settle(context)
        if context.get(COPY):
            return
        given = {"body": body, "event": event, "view": view, "client": client, "context": context,
                 "set_status": set_status}
        stored = context.get(KEPT)
        if stored is None and context.get(UNSTORED):
            late = keep_late(services, body, context)
            if late is False:
                return
            stored = context.get(KEPT)
        if stored is None:  # nothing to key it on (not a delivery Slack sends), or the outage lasted
            work(**{name: given[name] for name in wanted})
            return
        if not services.inbox.begin(stored):
            return
        try:
            work(**{name: given[name] for name in wanted})
        except Exception:
            services.inbox.failed(stored)
            raise
        services.inbox.done(stored)

    run_kept.__name__ = LAZY_NAME
    return run_kept


def again_once_back(exc: Exception, context: BoltContext) -> None:
    """Raise a database outage met by work the inbox kept, so that the inbox runs it again (on any worker) once the
    database is back, instead of the person being asked to send it again; anything else returns, for the caller."""
    if isinstance(exc, StorageUnavailableError) and context.get(KEPT) is not None:
        raise exc


def keep_late(services: SlackServices, body: dict[str, Any], context: BoltContext) -> bool | None:
    """After the ack, for a delivery the database could not keep before it: keep it once the database is back,
    so that its copies acknowledged meanwhile (a Slack retry, a doubled form, on any worker) are dropped, not done
    again. True once kept, False for a copy (dropped), None if the database stayed down (done unkept)."""
    deadline = time.monotonic() + LATE_KEEP_SECONDS
    pause = 0.5
    while True:
        try:
            stored = services.inbox.keep(context[UNSTORED], request_kind(body), _payload(body), _person(context))
        except StorageUnavailableError:
            if time.monotonic() + pause > deadline:
                return None
            time.sleep(pause)
            pause = min(pause * 2, 4.0)
            continue
        if stored is None:
            log.info("dropped a redelivery kept late (%s)", request_kind(body))
            return False
        context[KEPT] = stored
        return True


def _payload(body: dict[str, Any]) -> str:
    # The legacy verification token is not needed to run the work again, so it is not stored.
    return json.dumps({k: v for k, v in body.items() if k != "token"}, separators=(",", ":"))


def redeliver(app: App) -> Callable[[Delivery], None]:
    """Run a kept delivery's lazy part again, alone and in this thread, through the app's middleware and routing.

    It is not a new request from Slack: its signature was checked when it arrived, it comes from the database,
    and its timestamp is long past. Bolt runs a request's lazy part alone (its lazy-only headers, which the HTTP
    server strips from what it receives) and checks no signature on a request in socket_mode, whose deliveries
    come over an authenticated connection instead."""

    def run(delivery: Delivery) -> None:
        app.dispatch(BoltRequest(body=json.loads(delivery.payload), mode="socket_mode",
                                 context={KEPT: delivery.key, RERUN: True},
                                 headers={"x-slack-bolt-lazy-only": "1", "x-slack-bolt-lazy-function-name": LAZY_NAME}))

    return run


def _person(context: BoltContext) -> str | None:
    try:
        return person_of(context)
    except ValueError:  # no user on it (e.g. app_uninstalled)
        return None
