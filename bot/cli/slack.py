"""`coach serve`: run the Slack app (Socket Mode with SLACK_APP_TOKEN, otherwise HTTP)."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated

import typer
from rich.console import Console

from bot.cli import app
from bot.config import Settings, get_settings

console = Console(stderr=True, highlight=False)


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

    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker process writes its metrics here; /metrics on any of them adds all of them up.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="coach-metrics-")
    console.print(f"Serving Slack on http://{host}:{port}{EVENTS_PATH} with {workers} worker(s).")
    run_http("bot.slack.wiring:asgi_factory", host, port, workers, settings.log_level)


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
