"""Deployment tests reuse the Slack layer's fixtures: a real database (SQLite, and PostgreSQL when configured)
and the local fake Slack Web API."""

from tests.slack.conftest import coached, database, fake_slack, harness, serve  # noqa: F401
