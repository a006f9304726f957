"""Many workspaces: the OAuth install flow, each workspace's installation kept in the coach's own database, and
token rotation, with Bolt's OAuth settings over slack_sdk's SQLAlchemy installation and state stores.

One council keeps the single-token mode (SLACK_BOT_TOKEN). A regional programme sets SLACK_CLIENT_ID and
SLACK_CLIENT_SECRET instead: every council's administrator installs the app from /slack/install, and each
request, Home tab and weekly prompt then uses that workspace's own bot token. The tables are created by the
migrations (0011), never by the stores.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.rotator import TokenRotator
from sqlalchemy import and_, desc, or_

from bot.config import Settings
from bot.errors import ConfigurationError
from bot.slack.client import build_client
from bot.slack.credentials import SlackCredentials
from bot.slack.people import slack_user

log = logging.getLogger(__name__)
# What the app asks each workspace for: the same as manifest.yml's bot scopes (a test keeps them equal).
BOT_SCOPES = ["app_mentions:read", "assistant:write", "chat:write", "commands", "im:history", "im:write",
              "files:write", "users:read"]
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600  # an install page is good for ten minutes
ROTATE_MINUTES_BEFORE_EXPIRY = 120  # as Bolt does for requests: renew a rotating token two hours before it ends


class WorkspaceNotInstalled(Exception):
    """The app is not (or no longer) installed in the person's workspace: nothing can be sent there."""


class NotASlackUser(Exception):
    pass


class Workspaces(Protocol):
    """Who sends to a person: the Web API client with their own workspace's bot token."""

    def client_for(self, person: str) -> WebClient: ...


class OneWorkspace:
    """Single-token mode: one council's workspace, one bot token."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def client_for(self, person: str) -> WebClient:
        return self.client


class CoachInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store over the coach's database, with the bot lookup Bolt makes on every request cached for a
    few seconds: that lookup runs in the ack path, and uncached it took the ack p99 from 140 ms to 433 ms with
    two workspaces (benchmarks/bench_slack.py --workspaces 2). Only found bots are cached (a new install is seen
    at once), every write through this store clears the cache, and a bot whose token is due for rotation is
    always read afresh, so rotation (whose refresh tokens are single-use) works as uncached. Another process's
    uninstall is seen within CACHE_SECONDS; until then its calls with the dead token are refused by Slack."""

    CACHE_SECONDS = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cached: dict[tuple[str | None, str | None], tuple[float, Bot]] = {}
        self._cache_lock = threading.Lock()

    def find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                 is_enterprise_install: bool | None = False) -> Bot | None:
        key = (enterprise_id, None if is_enterprise_install or team_id is None else team_id)
        with self._cache_lock:
            hit = self._cached.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.CACHE_SECONDS and not _due_for_rotation(hit[1]):
            return hit[1]
        bot = super().find_bot(enterprise_id=enterprise_id, team_id=team_id,
                               is_enterprise_install=is_enterprise_install)
        if bot is not None:
            with self._cache_lock:
                self._cached[key] = (time.monotonic(), bot)
        return bot

    def _forget_cached(self) -> None:
        with self._cache_lock:
            self._cached.clear()

    def save(self, installation: Any) -> None:
        self._forget_cached()
        super().save(installation)
        self._forget_cached()
        if installation.enterprise_id:
            self._settle_people(installation.enterprise_id, installation.team_id)

    def _settle_people(self, org: str, team: str | None) -> None:
        """A Grid organisation installs: its people's rows under their workspace's id move to their one id
        (bot/slack/identity.py). An install in one of its workspaces settles that workspace's ids; an org-wide
        install settles every leftover id, unless other organisations are installed too (whose leftovers they
        may be: those wait for each person's next request, or `coach people merge-ids --team`)."""
        from bot.coaching.identities import installed_orgs
        from bot.slack.identity import merge_organisation
        from bot.storage.database import Database

        db = Database(self.engine)
        try:
            if team is None and installed_orgs(db.uow()) - {org}:
                return
            done = merge_organisation(db.uow, org, teams={team} if team else None)
            log.info("installation in %s: %d people's rows moved to their one id", org, done["people"])
        except Exception:  # the install itself stands; each person's next request tries again
            log.warning("could not move people's rows to their one id after an install", exc_info=True)

    def save_bot(self, bot: Bot) -> None:
        self._forget_cached()
        super().save_bot(bot)
        self._forget_cached()

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        super().delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self._forget_cached()

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                            user_id: str | None = None) -> None:
        super().delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
        self._forget_cached()

    def find_workspace_bot(self, workspace: str) -> Bot | None:
        """The latest bot installed in `workspace`: a team id, or a Grid organisation's id (whichever a person id
        names): an org-wide install, else the latest install in one of the organisation's workspaces."""
        c = self.bots.c
        query = (self.bots.select()
                 .where(and_(c.client_id == self.client_id, c.bot_token.is_not(None),
                             or_(c.team_id == workspace, c.enterprise_id == workspace)))
                 .order_by(desc(c.installed_at)).limit(1))
        with self.engine.connect() as connection:
            for row in connection.execute(query).mappings():
                return self.build_bot_entity(row)
        return None


def _due_for_rotation(bot: Bot) -> bool:
    expires = bot.bot_token_expires_at
    return expires is not None and expires < time.time() + (ROTATE_MINUTES_BEFORE_EXPIRY + 1) * 60


def installation_store(credentials: SlackCredentials, engine: Any) -> CoachInstallationStore:
    assert credentials.client_id is not None
    return CoachInstallationStore(client_id=credentials.client_id, engine=engine,
                                  logger=logging.getLogger("bot.slack.installations"))


def oauth_settings(credentials: SlackCredentials, settings: Settings, store: CoachInstallationStore,
                   engine: Any) -> OAuthSettings:
    return OAuthSettings(
        client_id=credentials.client_id, client_secret=credentials.client_secret, scopes=BOT_SCOPES,
        redirect_uri=settings.slack_redirect_uri, install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH,
        installation_store=store, installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        state_expiration_seconds=STATE_SECONDS,
    )


class InstalledWorkspaces:
    """Many workspaces: each person's own workspace's bot token, renewed first when it rotates and is due."""

    def __init__(self, store: CoachInstallationStore, settings: Settings, credentials: SlackCredentials) -> None:
        assert credentials.client_id is not None and credentials.client_secret is not None
        self._store = store
        self._settings = settings
        self._rotator = TokenRotator(client_id=credentials.client_id, client_secret=credentials.client_secret,
                                     client=build_client(settings))

    def client_for(self, person: str) -> WebClient:
        who = slack_user(person)
        if who is None or who[0] is None:
            raise NotASlackUser(person)
        bot = self._store.find_workspace_bot(who[0])
        if bot is None:
            raise WorkspaceNotInstalled(who[0])
        if bot.bot_refresh_token:
            renewed = self._rotator.perform_bot_token_rotation(bot=bot,
                                                               minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY)
            if renewed is not None:
                self._store.save_bot(renewed)
                bot = renewed
        return build_client(self._settings, bot.bot_token)


def app_options(credentials: SlackCredentials, settings: Settings, engine: Any | None, transport: str,
                client: WebClient) -> dict:
    """What Bolt's App needs for installs in many workspaces; nothing in single-token mode."""
    if not credentials.installs:
        return {}
    if transport != "http":
        raise ConfigurationError("SLACK_CLIENT_ID is set: installing in many workspaces needs the install pages "
                                 "served over HTTP. Unset SLACK_APP_TOKEN (or run `coach serve --http`).")
    if engine is None:
        raise ConfigurationError("Installing in many workspaces keeps each workspace's token in the coach's "
                                 "database; this app was built without one.")
    store = installation_store(credentials, engine)
    # Each request is authorized from the store (one indexed query; a rotating token near expiry is renewed
    # first) with the App's own client. The cache keeps auth.test's answer per token: without it Bolt calls
    # auth.test on every request, in the ack path (measured: ack p99 433 ms against 140 ms with one token,
    # benchmarks/bench_slack.py --workspaces 2). A new or rotated token is looked up once; an uninstalled
    # workspace has no token in the store, so the cache cannot outlive it.
    authorize = InstallationStoreAuthorize(
        logger=logging.getLogger("bot.slack.bolt"), installation_store=store, client_id=credentials.client_id,
        client_secret=credentials.client_secret, token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        bot_only=True, cache_enabled=True, client=client)
    return {"installation_store": store, "installation_store_bot_only": True, "authorize": authorize,
            "oauth_settings": oauth_settings(credentials, settings, store, engine)}


def workspaces_for(credentials: SlackCredentials, settings: Settings, engine: Any | None,
                   client: WebClient) -> Workspaces:
    if credentials.installs and engine is not None:
        return InstalledWorkspaces(installation_store(credentials, engine), settings, credentials)
    return OneWorkspace(client)
