"""Opening forms (modals) while their trigger is still valid, whatever else the app is doing.

A trigger id expires 3 seconds after the click or command. The listener pool runs answers, which can take
seconds each; a `views.open` queued behind them arrives too late (`expired_trigger_id`). So forms are opened from
the ack function, on this executor of their own: the ack is not delayed (the call runs beside it), and no answer
can be queued in front of it. Nothing else runs here but `views.open` and, when it fails, a short reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.limits import fit_view

log = logging.getLogger(__name__)
FORM_WORKERS = 4  # each only waits on one HTTP call: a handful covers many simultaneous clicks
_executor = ThreadPoolExecutor(max_workers=FORM_WORKERS, thread_name_prefix="coach-forms")


def open_form(client: WebClient, trigger_id: str | None, view: dict,
              on_failure: Callable[[str], object] | None = None,
              allowed: Callable[[], bool] | None = None) -> Future[bool]:
    """Open `view` on its own executor; `on_failure(error)` runs there if Slack refuses (e.g. the trigger expired).
    `allowed` (a quick check, e.g. bot/slack/standing.py's cached users.info) runs there first."""
    return _executor.submit(_open, client, trigger_id, view, on_failure, allowed)


def _open(client: WebClient, trigger_id: str | None, view: dict,
          on_failure: Callable[[str], object] | None, allowed: Callable[[], bool] | None) -> bool:
    if allowed is not None and not allowed():
        return False
    error = _call(client.views_open, trigger_id, view)
    if error is None:
        return True
    if on_failure is not None:
        try:
            on_failure(error)
        except Exception:  # a reply about the failure is a courtesy: never let it kill the thread
            log.exception("could not say the form did not open")
    return False


def _call(method: Callable[..., object], trigger_id: str | None, view: dict) -> str | None:
    """views.open or views.push; None when Slack took it, else why not."""
    try:
        method(trigger_id=trigger_id, view=fit_view(view))
        return None
    except (SlackApiError, OSError) as exc:
        error = str(exc.response.get("error")) if isinstance(exc, SlackApiError) else type(exc).__name__
        log.warning("form %s not shown: %s", view.get("callback_id"), error)
        return error


def push_form(client: WebClient, trigger_id: str | None, build: Callable[[], dict | None]) -> Future[bool]:
    """Push the view `build` makes (None: nothing to push) on top of an open modal, on the same executor: a
    trigger from a button inside a modal expires as quickly as any other."""
    return _executor.submit(_push, client, trigger_id, build)


def _push(client: WebClient, trigger_id: str | None, build: Callable[[], dict | None]) -> bool:
    view = build()
    return view is not None and _call(client.views_push, trigger_id, view) is None
