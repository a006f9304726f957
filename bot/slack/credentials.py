"""Slack credentials, with errors that say which variable to set and where to find its value."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.errors import ConfigurationError

_WHERE = {
    "SLACK_BOT_TOKEN": "api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
    "SLACK_SIGNING_SECRET": "api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret",
    "SLACK_APP_TOKEN": "api.slack.com/apps → your app → Basic Information → App-Level Tokens "
    "(scope connections:write, xapp-…)",
}


@dataclass(frozen=True)
class SlackCredentials:
    bot_token: str
    signing_secret: str | None
    app_token: str | None

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def missing(variable: str) -> ConfigurationError:
    return ConfigurationError(f"{variable} is not set. Find it at {_WHERE[variable]}, then set it in the "
                              f"environment or in .env (see docs/slack.md).")


def slack_credentials(settings: Settings) -> SlackCredentials:
    """Socket Mode needs the bot and app tokens; HTTP mode needs the bot token and the signing secret."""
    if settings.slack_bot_token is None:
        raise missing("SLACK_BOT_TOKEN")
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if app_token is None and secret is None:
        raise missing("SLACK_SIGNING_SECRET")
    return SlackCredentials(settings.slack_bot_token.get_secret_value(), secret, app_token)
