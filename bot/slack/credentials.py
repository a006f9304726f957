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
    "SLACK_CLIENT_SECRET": "api.slack.com/apps → your app → Basic Information → App Credentials → Client Secret",
    "SLACK_CLIENT_ID": "api.slack.com/apps → your app → Basic Information → App Credentials → Client ID",
}


@dataclass(frozen=True)
class SlackCredentials:
    bot_token: str | None  # None when installs in many workspaces keep each workspace's token in the database
    signing_secret: str | None
    app_token: str | None
    client_id: str | None = None
    client_secret: str | None = None

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def installs(self) -> bool:
        """True when the app is installed through OAuth in as many workspaces as ask (SLACK_CLIENT_ID set)."""
        return self.client_id is not None


def missing(variable: str) -> ConfigurationError:
    return ConfigurationError(f"{variable} is not set. Find it at {_WHERE[variable]}, then set it in the "
                              f"environment or in .env (see docs/slack.md).")


def slack_credentials(settings: Settings) -> SlackCredentials:
    """One council: Socket Mode needs the bot and app tokens; HTTP mode needs the bot token and the signing
    secret. Many workspaces (SLACK_CLIENT_ID): HTTP mode with the client id, client secret and signing secret;
    each workspace's bot token comes from its install."""
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if settings.slack_client_id or settings.slack_client_secret:
        if not settings.slack_client_id:
            raise missing("SLACK_CLIENT_ID")
        if settings.slack_client_secret is None:
            raise missing("SLACK_CLIENT_SECRET")
        if secret is None:
            raise missing("SLACK_SIGNING_SECRET")
        bot_token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        return SlackCredentials(bot_token, secret, app_token, settings.slack_client_id,
                                settings.slack_client_secret.get_secret_value())
    if settings.slack_bot_token is None:
        raise missing("SLACK_BOT_TOKEN")
    if app_token is None and secret is None:
        raise missing("SLACK_SIGNING_SECRET")
    return SlackCredentials(settings.slack_bot_token.get_secret_value(), secret, app_token)
