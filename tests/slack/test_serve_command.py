"""`coach serve` without credentials says which variable to set and where to find it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(("env", "variable", "where"), [
    ({}, "SLACK_BOT_TOKEN", "OAuth & Permissions"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET", "Signing Secret"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, "SLACK_APP_TOKEN", "App-Level Tokens"),
])
def test_missing_slack_credential_is_named_with_where_to_find_it(env: dict[str, str], variable: str,
                                                                 where: str) -> None:
    args = ["--socket-mode"] if variable == "SLACK_APP_TOKEN" else []
    result = subprocess.run([sys.executable, "-m", "bot", "serve", *args], env={**os.environ, **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert f"{variable} is not set" in message and where in message
    assert "Traceback" not in result.stderr


def test_a_rejected_bot_token_is_a_configuration_error_not_a_traceback(fake_slack) -> None:  # type: ignore[no-untyped-def]
    from bot.errors import ConfigurationError
    from bot.slack.app import build_app
    from bot.slack.services import SlackServices
    from tests.slack.conftest import slack_settings
    from tests.slack.fakes import EchoAnswerer

    fake_slack.fail("auth.test", "invalid_auth")
    with pytest.raises(ConfigurationError, match="Slack did not accept SLACK_BOT_TOKEN"):
        build_app(SlackServices(answerer=EchoAnswerer()), slack_settings(fake_slack), transport="http")
