"""One deployment, many councils' workspaces: installed through Slack's OAuth v2 flow (against the fake, which
refuses what Slack refuses), each workspace served with its own token (rotated when it nears expiry), and an
uninstall that removes the installation and stops that workspace's weekly prompts."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from sqlalchemy import update

from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.coaching.weekly import subscription_status
from bot.slack.credentials import slack_credentials
from bot.slack.installations import BOT_SCOPES, CoachInstallationStore, InstalledWorkspaces, installation_store
from bot.slack.weekly import run_once
from bot.slack.wiring import database_services
from bot.storage import Database
from bot.storage.orm import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES
from tests.slack.conftest import SlackHarness, eventually, slack_settings
from tests.slack.fake_slack_api import CLIENT_ID, CLIENT_SECRET, FakeSlackAPI
from tests.slack.fakes import EchoAnswerer
from tests.slack.test_asking import dm
from tests.slack.test_manifest import MANIFEST
from tests.slack.test_weekly import make_due, weekly_prompts


def installs() -> dict[str, object]:
    return {"slack_bot_token": None, "slack_client_id": CLIENT_ID, "slack_client_secret": CLIENT_SECRET}


@pytest.fixture
def regional(database: Database, serve: Callable[..., SlackHarness], fake_slack: FakeSlackAPI) -> SlackHarness:
    """The app installing in many workspaces, over a real database; its redirect URL registered with Slack."""
    settings = slack_settings(fake_slack, **installs())
    h = serve(database_services(database, EchoAnswerer(), settings), **installs(),
              slack_redirect_uri="http://127.0.0.1/slack/oauth_redirect")
    fake_slack.redirect_urls.append("http://127.0.0.1/slack/oauth_redirect")
    return h


def base(h: SlackHarness) -> str:
    return f"http://127.0.0.1:{h.app.port}"


def get(url: str, cookies: dict[str, str]) -> tuple[int, str]:
    """A browser's GET. The state cookie is Secure (Slack's pages are https): sent by hand over this http."""
    request = urllib.request.Request(url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def open_install_page(h: SlackHarness) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The install page: the browser's cookies, and the query of its "Add to Slack" link."""
    cookies: dict[str, str] = {}
    status, page = get(f"{base(h)}/slack/install", cookies)
    assert status == 200
    authorize = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page)
    assert authorize is not None
    return cookies, parse_qs(urlparse(authorize.group(1).replace("&amp;", "&")).query)


def install(h: SlackHarness, team: str, *, rotation: bool = False, redirect: str | None = None) -> tuple[int, str]:
    """An administrator opens the install page, approves in Slack, and Slack sends the browser back."""
    cookies, query = open_install_page(h)
    assert query["scope"] == [",".join(BOT_SCOPES)] and query["client_id"] == [CLIENT_ID]
    code = h.api.grant(team, redirect_uri=redirect or query["redirect_uri"][0], rotation=rotation,
                       team_name=f"Council {team}")
    return get(f"{base(h)}/slack/oauth_redirect?{urlencode({'code': code, 'state': query['state'][0]})}", cookies)


def workspaces_of(h: SlackHarness) -> InstalledWorkspaces:
    """What the weekly loop of the served app sends with."""
    return InstalledWorkspaces(store_of(h), h.app.settings, slack_credentials(h.app.settings))


def store_of(h: SlackHarness) -> CoachInstallationStore:
    assert h.services.coaching is not None
    return installation_store(slack_credentials(h.app.settings), h.services.coaching.db.engine)


def test_the_migrated_tables_are_the_ones_slack_sdks_stores_use() -> None:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
    from sqlalchemy import MetaData

    metadata = MetaData()
    theirs = [SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
              SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
              SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")]
    for ours, table in zip([SLACK_INSTALLATIONS, SLACK_BOTS, SLACK_OAUTH_STATES], theirs, strict=True):
        assert [(c.name, str(c.type), c.nullable) for c in ours.columns] == \
            [(c.name, str(c.type), c.nullable) for c in table.columns]


def test_the_app_asks_each_workspace_for_the_scopes_the_manifest_lists() -> None:
    assert MANIFEST["oauth_config"]["scopes"]["bot"] == BOT_SCOPES


def test_a_council_installs_the_app_and_its_workspace_is_served_with_its_own_token(regional: SlackHarness) -> None:
    status, page = install(regional, "T2")
    assert status == 200 and "Thank you" in page
    [(args, response)] = regional.api.exchanges("oauth.v2.access")
    assert (args["client_id"], args["redirect_uri"], response["ok"]) == (
        CLIENT_ID, "http://127.0.0.1/slack/oauth_redirect", True)
    bot = store_of(regional).find_workspace_bot("T2")
    assert bot is not None and bot.bot_token == response["access_token"]
    regional.slack.event(dm("How do I lead?"), team="T2")
    regional.api.wait_for("chat.stopStream")
    tokens = {c.token for c in regional.api.calls if c.method.startswith("chat.")}
    assert tokens == {response["access_token"]}


@pytest.mark.parametrize("redirect, granted, error", [
    ("http://127.0.0.1/slack/oauth_redirect", None, "invalid_code"),
    ("http://elsewhere.invalid/slack/oauth_redirect", "code", "bad_redirect_uri"),
])
def test_a_code_slack_refuses_installs_nothing(regional: SlackHarness, redirect: str, granted: str | None,
                                               error: str) -> None:
    if granted is None:  # a code Slack never issued (or already used)
        cookies, query = open_install_page(regional)
        get(f"{base(regional)}/slack/oauth_redirect?{urlencode({'code': 'forged', 'state': query['state'][0]})}",
            cookies)
    else:  # a code granted for another redirect URL than the one the app sends
        install(regional, "T2", redirect=redirect)
    [(_, response)] = regional.api.exchanges("oauth.v2.access")
    assert response == {"ok": False, "error": error}
    assert store_of(regional).find_workspace_bot("T2") is None


def test_a_callback_without_the_install_pages_state_is_refused(regional: SlackHarness) -> None:
    code = regional.api.grant("T2", redirect_uri="http://127.0.0.1/slack/oauth_redirect")
    status, _ = get(f"{base(regional)}/slack/oauth_redirect?{urlencode({'code': code, 'state': 'made-up'})}",
                    {})
    assert status >= 400
    assert regional.api.called("oauth.v2.access") == []  # the code is never even exchanged


def test_weekly_prompts_go_to_each_person_with_their_own_workspaces_token(regional: SlackHarness) -> None:
    install(regional, "T2")
    install(regional, "T3")
    coaching = regional.services.coaching
    assert coaching is not None
    make_due(coaching.db, "slack:T2:U2")
    make_due(coaching.db, "slack:T3:U3")
    workspaces = workspaces_of(regional)
    assert sorted(run_once(coaching, workspaces).sent) == ["slack:T2:U2", "slack:T3:U3"]
    sent = {c.args["channel"]: c.token for c in regional.api.calls if c.method == "chat.postMessage"}
    assert sent == {"D2": regional.api.tokens_of("T2")[0], "D3": regional.api.tokens_of("T3")[0]}


def nearly_expired(h: SlackHarness, token: str) -> None:
    """Twelve hours pass: the token has a minute left, in Slack and in the installation the app stored."""
    h.api.expire(token, in_seconds=60)
    assert h.services.coaching is not None
    with h.services.coaching.db.engine.begin() as connection:
        for table in (SLACK_BOTS, SLACK_INSTALLATIONS):
            connection.execute(update(table).where(table.c.bot_token == token).values(
                bot_token_expires_at=datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=60)))


def test_a_rotating_token_is_renewed_before_use_by_requests_and_by_the_weekly_loop(regional: SlackHarness) -> None:
    install(regional, "T2", rotation=True)
    [first] = regional.api.tokens_of("T2")
    nearly_expired(regional, first)
    regional.slack.event(dm("How do I lead?"), team="T2")
    regional.api.wait_for("chat.stopStream")
    renewals = [a for a, _ in regional.api.exchanges("oauth.v2.access") if a.get("grant_type") == "refresh_token"]
    assert len(renewals) == 1
    [_, renewed] = regional.api.tokens_of("T2")
    assert {c.token for c in regional.api.calls if c.method.startswith("chat.")} == {renewed}
    # The loop renews too: the renewed token expires, the next prompt goes out with a third one.
    nearly_expired(regional, renewed)
    coaching = regional.services.coaching
    assert coaching is not None
    make_due(coaching.db, "slack:T2:U2")
    workspaces = workspaces_of(regional)
    before = len(regional.api.calls)
    assert run_once(coaching, workspaces).sent == ["slack:T2:U2"]
    third = regional.api.tokens_of("T2")[-1]
    assert [(c.method, c.token) for c in regional.api.calls[before:]
            if c.method in ("conversations.open", "chat.postMessage")] == [
        ("conversations.open", third), ("chat.postMessage", third)]


@pytest.mark.parametrize("removal", ["app_uninstalled", "tokens_revoked"])
def test_removing_the_app_from_a_workspace_forgets_its_token_and_stops_its_peoples_prompts(
        regional: SlackHarness, removal: str) -> None:
    install(regional, "T2")
    install(regional, "T3")
    coaching = regional.services.coaching
    assert coaching is not None
    make_due(coaching.db, "slack:T2:U2")
    make_due(coaching.db, "slack:T3:U3")
    regional.api.revoke("T2")
    event = {"type": "app_uninstalled"} if removal == "app_uninstalled" else \
        {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}
    assert regional.slack.event(event, team="T2").status == 200
    eventually(lambda: store_of(regional).find_workspace_bot("T2") is None)
    status = eventually(lambda: (s := subscription_status(coaching.db.uow(), "slack:T2:U2")) and not s.active and s)
    assert status, "the uninstalled workspace's weekly prompts are stopped"
    assert store_of(regional).find_workspace_bot("T3") is not None  # the other council is untouched
    workspaces = workspaces_of(regional)
    assert run_once(coaching, workspaces).sent == ["slack:T3:U3"]
    assert [p["channel"] for p in weekly_prompts(regional.api)] == ["D3"]


def test_prompts_stop_for_a_workspace_whose_uninstall_was_missed(regional: SlackHarness) -> None:
    """E.g. the app was removed while the server was down: the loop finds no installation and stops them."""
    coaching = regional.services.coaching
    assert coaching is not None
    make_due(coaching.db, "slack:T9:U9")
    workspaces = workspaces_of(regional)
    report = run_once(coaching, workspaces)
    assert list(report.failed) == ["slack:T9:U9"] and regional.api.called("chat.postMessage") == []
    status = subscription_status(coaching.db.uow(), "slack:T9:U9")
    assert status is not None and not status.active


def test_socket_mode_with_installs_is_refused_naming_what_to_change(fake_slack: FakeSlackAPI,
                                                                    database: Database) -> None:
    from bot.errors import ConfigurationError
    from bot.slack.app import build_app

    settings = slack_settings(fake_slack, slack_app_token="xapp-1", **installs())
    with pytest.raises(ConfigurationError, match="SLACK_APP_TOKEN"):
        build_app(database_services(database, EchoAnswerer(), settings), settings, transport="socket")



def test_an_operators_erasure_deletes_slack_files_with_the_persons_own_workspace_token(
        regional: SlackHarness) -> None:
    from bot.cli.my_data import _slack_file_remover
    from bot.coaching.uploads import Removal

    install(regional, "T2")
    coaching = regional.services.coaching
    assert coaching is not None
    client = workspaces_of(regional).client_for("slack:T2:U2")
    file_id = client.files_upload_v2(content=b"x", filename="coach-my-data.json", channel="D2")["file"]["id"]
    remover = _slack_file_remover(regional.app.settings, coaching.db, "slack:T2:U2")
    assert remover is not None and remover(file_id) is Removal.DELETED
    [(deleted, token)] = [(c.args["file"], c.token) for c in regional.api.calls if c.method == "files.delete"]
    assert (deleted, token) == (file_id, regional.api.tokens_of("T2")[0])
    assert _slack_file_remover(regional.app.settings, coaching.db, "slack:T9:U9") is None  # not installed there


def test_a_grid_organisation_installing_gives_its_members_rows_back_under_their_one_id(regional: SlackHarness) -> None:
    assert regional.services.coaching is not None
    db = regional.services.coaching.db
    # Kept under the member's own workspace T2 before one person had one id.
    submit_assessment(db.uow(), "slack:T2:W1", {attributes().ids[0]: 3}, source="slack")
    cookies, query = open_install_page(regional)
    code = regional.api.grant(None, enterprise_id="E1", redirect_uri=query["redirect_uri"][0], team_name="Org")
    status, _ = get(f"{base(regional)}/slack/oauth_redirect?{urlencode({'code': code, 'state': query['state'][0]})}",
                    cookies)
    assert status == 200
    with db.uow() as uow:
        assert len(uow.assessments.for_user("slack:E1:W1")) == 1 and uow.users.get("slack:T2:W1") is None
