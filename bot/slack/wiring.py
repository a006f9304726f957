"""Real services for `coach serve`: the answerer from the composition root (bot.bootstrap) with its memory in
the database, and the Slack layer's own records (the inbox of acknowledged deliveries, feedback, exercise threads)
beside it."""

from __future__ import annotations

import gc
from datetime import timedelta
from typing import Any

from slack_bolt import App
from starlette.applications import Starlette

from bot.answering.answer import Answerer
from bot.config import Settings, get_settings
from bot.retrieval.hits import Retriever
from bot.slack.app import build_app
from bot.slack.server import asgi_app
from bot.slack.services import CoachingServices, SlackServices
from bot.storage import Database


def database_services(db: Database, answerer: Answerer, settings: Settings,
                      retriever: Retriever | None = None, feedback_coach: Any = None,
                      safeguarding: Any = None) -> SlackServices:
    """Services over one database: what `coach serve` runs and what the end-to-end tests run."""
    from bot.coaching.exercises import exercise_library
    from bot.slack.standing import PeoplePolicy
    from bot.slack.stores import DatabaseExerciseThreads, DatabaseFeedback
    from bot.storage.inbox import Inbox

    inbox = Inbox(db, lease=timedelta(seconds=settings.inbox_lease_seconds), max_attempts=settings.inbox_max_attempts)
    return SlackServices(answerer=answerer, ledger=db, inbox=inbox, feedback=DatabaseFeedback(db),
                         exercise_threads=DatabaseExerciseThreads(db),
                         people=PeoplePolicy(settings.slack_guest_access, settings.slack_external_access),
                         coaching=CoachingServices(db=db, library=exercise_library(), settings=settings,
                                                   retriever=retriever, feedback_coach=feedback_coach,
                                                   safeguarding=safeguarding))


def build_services(settings: Settings) -> SlackServices:
    from bot import bootstrap
    from bot.answering.memory import DatabaseTurnStore
    from bot.free_memory import release_free_memory
    from bot.storage import open_database

    db = open_database(settings)
    retriever = bootstrap.retriever_for(settings)
    release_free_memory()  # reading the index freed more than the retriever keeps
    answerer = bootstrap.build_answerer(settings, retriever, turns=DatabaseTurnStore(db))
    services = database_services(db, answerer, settings, retriever,
                                 bootstrap.build_exercise_feedback(settings, answerer.chat_model),
                                 bootstrap.build_safeguarding(settings, answerer.chat_model))
    release_free_memory()
    # What was built above lives as long as the process: the collector's full passes skip it from now on. They
    # walked it all, stopping every thread for that long, several times in a burst of answers (acks waited).
    gc.collect()
    gc.freeze()
    return services


def build_real_app(settings: Settings) -> App:
    """The app with real services and its weekly loop running, for Socket Mode."""
    prepare_safeguarding()
    services = build_services(settings)
    app = build_app(services, settings, transport="socket")
    start_weekly_loop(services, app)
    start_inbox_upkeep(services, app)
    return app


def asgi_factory() -> Starlette:
    """What each uvicorn worker process calls (see `coach serve --workers`): the app and its weekly loop."""
    from bot.observability import logs
    from bot.observability.health import readiness

    settings = get_settings()
    logs.configure(settings.log_level, settings.log_format)  # a worker process starts without the parent's
    prepare_safeguarding()
    services = build_services(settings)
    app = build_app(services, settings, transport="http")
    start_weekly_loop(services, app)
    start_inbox_upkeep(services, app)
    coaching = services.coaching
    return asgi_app(app, readiness=(lambda: readiness(settings, coaching.db)) if coaching else None)


def prepare_safeguarding() -> None:
    """Before the worker takes requests: otherwise the first messages after a start (or after an exemplars
    change, if `coach ingest` was not run) wait while the screen is loaded or fitted, and the acks behind them."""
    from bot.coaching.safeguarding import prepare

    prepare()


def start_inbox_upkeep(services: SlackServices, app: App) -> None:
    """Keep this worker's hold on the deliveries it acknowledged, and do those of workers that died."""
    from bot.slack.durable import redeliver

    services.inbox.start(redeliver(app))


def start_weekly_loop(services: SlackServices, app: App) -> None:
    if services.coaching is not None:
        from bot.slack.credentials import slack_credentials
        from bot.slack.installations import workspaces_for
        from bot.slack.weekly import WeeklyLoop

        coaching = services.coaching
        workspaces = workspaces_for(slack_credentials(coaching.settings), coaching.settings, coaching.db.engine,
                                    app.client)
        WeeklyLoop(coaching, workspaces).start()
