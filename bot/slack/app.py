"""Build the Bolt app: credentials, the Web API client, middleware and every listener."""

from __future__ import annotations

import logging
from typing import Literal

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.errors import ConfigurationError
from bot.observability.logs import ContextExecutor
from bot.observability.metrics import ERRORS
from bot.slack import listeners, middleware
from bot.slack.client import build_client
from bot.slack.credentials import missing, slack_credentials
from bot.slack.installations import app_options
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)
# Threads that run the slow part of listeners after the ack. Offline answers are CPU-bound: more threads than
# cores only fight over the GIL with the ack path (8 threads doubled the ack p99 in benchmarks/bench_slack.py).
# LLM answers mostly wait on the network, so more of them can be in flight.
CPU_BOUND_WORKERS = 2
IO_BOUND_WORKERS = 8
# How the app receives Slack's requests. Signature checks follow the transport actually served, never the
# credentials that happen to be configured: every request that arrives over HTTP is verified.
Transport = Literal["http", "socket"]


def build_app(services: SlackServices, settings: Settings, *, transport: Transport) -> App:
    credentials = slack_credentials(settings)
    if transport == "http" and credentials.signing_secret is None:
        raise missing("SLACK_SIGNING_SECRET")
    # Many workspaces (SLACK_CLIENT_ID): each request's token comes from its workspace's installation.
    client = build_client(settings, None if credentials.installs else credentials.bot_token)
    installs = app_options(credentials, settings, services.coaching.db.engine if services.coaching else None,
                           transport, client)
    try:
        app = App(
            client=client,
            **installs,
            signing_secret=credentials.signing_secret or "",
            # Socket Mode's requests come over the authenticated socket and carry no signature; anything served
            # over HTTP must be signed by Slack, whatever other tokens are set.
            request_verification_enabled=transport == "http",
            # Run each listener's ack function in the request's own thread, then answer Slack. Without this
            # Bolt queues the ack function on the listener executor, behind the slow lazy work already there
            # (answers), and polls for the ack every 10 ms. Every ack function here only acks (or validates a
            # modal); the slow part of each listener is lazy and still runs on the executor after the ack.
            process_before_response=True,
            listener_executor=ContextExecutor(  # the work after the ack keeps the request's id in its logs
                max_workers=IO_BOUND_WORKERS if settings.llm_configured else CPU_BOUND_WORKERS,
                thread_name_prefix="coach-slack"),
            logger=logging.getLogger("bot.slack.bolt"),
        )
    except (BoltError, SlackApiError, OSError) as exc:  # Bolt checks the token with auth.test on start
        raise ConfigurationError(
            f"Slack did not accept SLACK_BOT_TOKEN, or could not be reached at {client.base_url} ({exc}). "
            "Check the token (OAuth & Permissions → Bot User OAuth Token) and that the app is installed."
        ) from exc
    middleware.register(app, services)
    listeners.register(app, services)
    app.error(_log_error)
    return app


def _log_error(error: Exception, body: dict) -> None:
    ERRORS.labels(where="slack_listener").inc()
    log.error("listener failed for %s", body.get("type") or body.get("command"), exc_info=error)
