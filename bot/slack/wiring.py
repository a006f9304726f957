"""Real services for `coach serve`: the answerer from bot.bootstrap, memory and dedup in the database."""

from __future__ import annotations

from slack_bolt import App
from starlette.applications import Starlette

from bot.config import Settings, get_settings
from bot.slack.app import build_app
from bot.slack.server import asgi_app
from bot.slack.services import SlackServices


def build_services(settings: Settings) -> SlackServices:
    from bot.bootstrap import build_answerer
    from bot.slack.stores import DatabaseConversations, DatabaseFeedback
    from bot.storage import open_database

    db = open_database(settings)
    return SlackServices(answerer=build_answerer(settings), ledger=db, feedback=DatabaseFeedback(db),
                         conversations=DatabaseConversations(db))


def build_real_app(settings: Settings) -> App:
    return build_app(build_services(settings), settings)


def asgi_factory() -> Starlette:
    """What each uvicorn worker process calls (see `coach serve --workers`)."""
    return asgi_app(build_real_app(get_settings()))
