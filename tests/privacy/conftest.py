"""The privacy tests drive the real Slack app and the CLI together: the Slack fixtures are shared from there."""

from tests.slack.conftest import fake_slack, serve

__all__ = ["fake_slack", "serve"]
