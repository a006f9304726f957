"""The privacy tests drive the real Slack app, the CLI and the database together: fixtures shared from there."""

from tests.slack.conftest import fake_slack, serve
from tests.storage.databases import database_url, db

__all__ = ["database_url", "db", "fake_slack", "serve"]
