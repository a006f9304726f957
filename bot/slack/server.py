"""Serving the app: Socket Mode when an app token is set, otherwise HTTP behind uvicorn.

HTTP mode serves the Events API, slash commands and interactivity on one path. The ack path is the signature
check, Bolt's routing and an ack function; for deliveries whose work must survive the worker (events, the
self-assessment form: bot/slack/durable.py) the ack function also stores the delivery in the inbox, one
INSERT ... ON CONFLICT that is also the retry dedup, because Slack never resends what was acknowledged. The core
and every Web API call run after the ack in Bolt's lazy listeners. `App.dispatch` runs on the event loop, and the
INSERT is not waited for there: it is queued to the inbox's writer thread, and the response is sent once it is
committed (bot/slack/durable.py `acks_after_keeping`), so a slow INSERT holds up no other request. Acks on worker
threads instead (one per request in a burst) fought the answers and each other for the GIL: the ack p99 of 50
concurrent events rose from ~140 ms to ~400-600 ms. Rule: no I/O in middleware or ack functions other than that
one INSERT (see bot/slack/listeners/acks.py).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_bolt.middleware.request_verification import RequestVerification
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.errors import ConfigurationError
from bot.observability.health import Check
from bot.observability.metrics import ACK_SECONDS, ACKS, exposition
from bot.slack.durable import acks_after_keeping, kept
from bot.slack.request_kind import request_kind

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def asgi_app(app: App, path: str = EVENTS_PATH, readiness: Callable[[], list[Check]] | None = None) -> Starlette:
    """The app on HTTP. Refuses an app that would not check Slack's signatures: over HTTP anyone can post.

    Beside Slack's path: /healthz (the process answers), /readyz (`readiness`: database, index, model; 503 with
    the failing check named when one fails), /metrics (Prometheus). /health is kept as an alias of /healthz."""
    if not verifies_signatures(app):
        raise ConfigurationError("This Slack app was built without request verification and cannot be served "
                                 "over HTTP; build it with transport=\"http\" (SLACK_SIGNING_SECRET set).")

    async def events(request: Request) -> Response:
        body = (await request.body()).decode("utf-8", errors="replace")
        if not _well_formed(body, request.headers.get("content-type", "")):
            return PlainTextResponse("malformed request body", status_code=400)
        started = time.perf_counter()
        # Bolt's own headers (run only a lazy part, skipping the ack) are for the inbox's reruns, never a sender's.
        headers: dict[str, str | Sequence[str]] = {
            k: v for k, v in request.headers.items() if not k.lower().startswith("x-slack-bolt-")}
        bolt_request = BoltRequest(body=body, query=str(request.url.query), headers=headers)
        try:
            with acks_after_keeping() as waits:
                response = app.dispatch(bolt_request)
            if waits and not await kept(waits):
                return PlainTextResponse("could not keep the request", status_code=500)
            if response.status == 200:
                kind = request_kind(bolt_request.body)
                ACKS.labels(type=kind).inc()
                ACK_SECONDS.labels(type=kind).observe(time.perf_counter() - started)
            return to_starlette_response(response)
        except (KeyError, TypeError, AttributeError, ValueError):
            # Bolt assumes Slack's payload shapes; a well-formed body of the wrong shape is the sender's fault.
            log.warning("request Bolt could not process", exc_info=True)
            return PlainTextResponse("unprocessable request", status_code=400)

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    async def ready(_: Request) -> Response:
        checks = await run_in_threadpool(readiness) if readiness else []  # blocking probes off the event loop
        body = {"ready": all(c.ok for c in checks), "checks": {c.name: {"ok": c.ok, "detail": c.detail}
                                                                for c in checks}}
        return JSONResponse(body, status_code=200 if body["ready"] else 503)

    async def metrics(_: Request) -> Response:
        page, content_type = exposition()
        return Response(page, media_type=content_type)

    routes = [Route(path, events, methods=["POST"]), Route("/healthz", health, methods=["GET"]),
              Route("/health", health, methods=["GET"]), Route("/readyz", ready, methods=["GET"]),
              Route("/metrics", metrics, methods=["GET"])]
    return Starlette(routes=routes + install_routes(app))


def install_routes(app: App) -> list[Route]:
    """The OAuth install page and Slack's redirect back, when the app installs in many workspaces. They talk to
    the database and to Slack (oauth.v2.access), so they run on a worker thread, off the event loop."""
    flow = app.oauth_flow
    if flow is None:
        return []

    def bolt_request(request: Request) -> BoltRequest:
        return BoltRequest(body="", query=str(request.url.query), headers=dict(request.headers))

    async def install(request: Request) -> Response:
        return to_starlette_response(await run_in_threadpool(flow.handle_installation, bolt_request(request)))

    async def callback(request: Request) -> Response:
        return to_starlette_response(await run_in_threadpool(flow.handle_callback, bolt_request(request)))

    return [Route(flow.install_path, install, methods=["GET"]),
            Route(flow.redirect_uri_path, callback, methods=["GET"])]


def verifies_signatures(app: App) -> bool:
    # Bolt keeps its middleware in a private list; if that ever changes this returns False and serving stops
    # with the error above rather than running unverified.
    return any(isinstance(m, RequestVerification) for m in getattr(app, "_middleware_list", []))


def _well_formed(body: str, content_type: str) -> bool:
    # Bolt raises on bodies it cannot parse (a 500); Slack only ever sends JSON or a form.
    if not body:
        return False
    try:
        if content_type.startswith("application/json"):
            return isinstance(json.loads(body), dict)
        form = parse_qs(body, strict_parsing=True)
        return "payload" not in form or isinstance(json.loads(form["payload"][0]), dict)
    except ValueError:
        return False


def run_http(app_factory: str, host: str, port: int, workers: int, log_level: str) -> None:
    """uvicorn with `workers` processes; each builds its own app from `app_factory` (an import path)."""
    import uvicorn

    uvicorn.run(app_factory, factory=True, host=host, port=port, workers=workers, log_level=log_level.lower(),
                access_log=False)


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """Bolt's Socket Mode adapter; it asks apps.connections.open (on the app's client) where to connect."""
    return SocketModeHandler(app, app_token, web_client=app.client)


def run_socket_mode(app: App, app_token: str) -> None:
    socket_mode_handler(app, app_token).start()  # blocks; reconnects on its own

