"""`coach serve`: run the Slack app (Socket Mode with SLACK_APP_TOKEN, otherwise HTTP)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from bot.cli import app
from bot.config import Settings, get_settings

console = Console(stderr=True, highlight=False)
# bot.observability.metrics's name for it: not imported here, or this process would write its own metric files
# into the directory before the fresh one is made.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="HTTP mode: address to listen on.")] = "0.0.0.0",
    port: Annotated[int, typer.Option(help="HTTP mode: port (Slack's Request URL is http(s)://…/slack/events).")]
    = 3000,
    workers: Annotated[int, typer.Option(min=1, help="HTTP mode: worker processes.")] = 1,
    socket_mode: Annotated[bool | None, typer.Option(
        "--socket-mode/--http", help="Force a mode (default: Socket Mode when SLACK_APP_TOKEN is set).")] = None,
) -> None:
    """Run the Slack app."""
    with _metrics_directory(workers):  # first: nothing may write metric files before the directory is chosen
        _serve(host, port, workers, socket_mode)


def _serve(host: str, port: int, workers: int, socket_mode: bool | None) -> None:
    from bot.observability import logs
    from bot.slack.credentials import missing, slack_credentials

    settings = get_settings()
    logs.configure(settings.log_level, settings.log_format)
    credentials = slack_credentials(settings)  # fails early, naming the missing variable
    use_socket = credentials.socket_mode if socket_mode is None else socket_mode
    _build_index_if_missing(settings)
    if use_socket:
        if credentials.app_token is None:
            raise missing("SLACK_APP_TOKEN")
        from bot.slack.server import run_socket_mode
        from bot.slack.wiring import build_real_app

        console.print("Connecting to Slack in Socket Mode…")
        run_socket_mode(build_real_app(settings), credentials.app_token)
        return
    if credentials.signing_secret is None:
        raise missing("SLACK_SIGNING_SECRET")
    from bot.slack.server import EVENTS_PATH, run_http

    console.print(f"Serving Slack on http://{host}:{port}{EVENTS_PATH} with {workers} worker(s).")
    run_http("bot.slack.wiring:asgi_factory", host, port, workers, settings.log_level)


@contextmanager
def _metrics_directory(workers: int) -> Iterator[None]:
    """With several workers each process writes its metrics to files in PROMETHEUS_MULTIPROC_DIR and /metrics on
    any of them adds up every file there. So each start gets a fresh directory (inside the operator's
    PROMETHEUS_MULTIPROC_DIR when set): files left by an earlier start would be counted again. Removed at exit."""
    given = os.environ.get(MULTIPROC_ENV)
    if workers == 1 and not given:
        yield  # one process: its own registry is the whole story
        return
    if given:
        os.makedirs(given, exist_ok=True)
    fresh = tempfile.mkdtemp(prefix="coach-metrics-", dir=given or None)
    os.environ[MULTIPROC_ENV] = fresh
    try:
        yield
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        if given:
            os.environ[MULTIPROC_ENV] = given
        else:
            os.environ.pop(MULTIPROC_ENV, None)


def _build_index_if_missing(settings: Settings) -> None:
    """A fresh container has an empty data directory: build the index once, before any worker starts, instead of
    exiting (which would crash-loop under a supervisor)."""
    from bot.errors import CoachError
    from bot.retrieval.first_run import ensure_index, index_missing

    if not index_missing(settings):
        return
    console.print(f"No search index at {settings.index_dir}: building it from the knowledge folder first…")
    report = ensure_index(settings)
    if report is not None and not report.usable:
        raise CoachError("The search index could not be built: no document in the knowledge folder could be read "
                         "(set COACH_KNOWLEDGE_DIR, or run `coach ingest PATH`).")
    console.print(f"Index built: {report.chunks_written if report else 0} passages.")
