"""Over HTTP every request must carry Slack's signature, whatever else is configured.

The app runs as `coach serve --http` does, with all three Slack variables set (the app token too, as docs and
`.env` files often have them). Forged requests of every kind are refused with 401 and change nothing: not the
database, not Slack.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.coaching.privacy_notice import record_notice_shown
from bot.config import Settings
from bot.slack.app import build_app
from bot.slack.blocks.data import FORGET_VIEW
from bot.slack.blocks.home import HOME_EXPORT
from bot.slack.server import asgi_app
from bot.slack.services import SlackServices
from bot.slack.wiring import database_services
from bot.storage import Database
from bot.storage.orm import Base
from tests.slack.conftest import SIGNING_SECRET, SlackHarness, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.fakes import EchoAnswerer
from tests.slack.signed import Reply, SlackSender
from tests.slack.test_asking import dm
from tests.slack.test_assessment import submitted_view

VICTIM = "slack:T1:UVICTIM"
FIVE_MINUTES = 5 * 60


class ForgingSender(SlackSender):
    """Sends Slack's own payloads, but unsigned, signed too long ago, or signed with the wrong secret."""

    def __init__(self, url: str, forgery: str) -> None:
        super().__init__(url, "not-the-signing-secret" if forgery == "wrong secret" else SIGNING_SECRET)
        self.forgery = forgery

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None,
             signed: bool = True, timestamp: int | None = None) -> Reply:
        if self.forgery == "unsigned":
            return super().post(body, content_type, headers, signed=False)
        if self.forgery == "stale":
            return super().post(body, content_type, headers, timestamp=int(time.time()) - FIVE_MINUTES - 60)
        return super().post(body, content_type, headers)


# Each kind of request Slack sends, as an attacker would send it on someone else's behalf.
REQUESTS: dict[str, Callable[[SlackSender], Reply]] = {
    "event (DM question)": lambda s: s.event(dm("What do you hold about UVICTIM?", user="UVICTIM")),
    "event (Home tab opened)": lambda s: s.event({"type": "app_home_opened", "user": "UVICTIM", "tab": "home"}),
    "slash command": lambda s: s.command("weekly on friday 16:00", user="UVICTIM"),
    "block action (export to DM)": lambda s: s.action(HOME_EXPORT, "", user="UVICTIM"),
    "view submission (assessment)": lambda s: s.view_submission(
        submitted_view({attributes().ids[0]: 1}, notes="forged note"), user="UVICTIM"),
    "view submission (forget_me_confirm for another user)": lambda s: s.view_submission(
        {"id": "VFORGED", "type": "modal", "callback_id": FORGET_VIEW, "state": {"values": {}}}, user="UVICTIM"),
    "options": lambda s: s.interaction({"type": "block_suggestion", "user": {"id": "UVICTIM"}, "action_id": "a",
                                        "block_id": "b", "value": "li", "view": {"id": "V1"}}),
}


def every_row(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as connection:
        return {t.name: sorted(map(tuple, connection.execute(select(t))), key=repr)
                for t in Base.metadata.sorted_tables}


@pytest.fixture
def served_http_with_app_token(database: Database, serve: Callable[..., SlackHarness],
                               fake_slack: FakeSlackAPI) -> SlackHarness:
    """`coach serve --http` with SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APP_TOKEN all set."""
    settings = slack_settings(fake_slack, slack_app_token="xapp-also-set")
    record_notice_shown(database.uow(), VICTIM)
    submit_assessment(database.uow(), VICTIM, {attributes().ids[0]: 4}, notes="the victim's own note")
    return serve(database_services(database, EchoAnswerer(), settings), slack_app_token="xapp-also-set")


@pytest.mark.parametrize("forgery", ["unsigned", "stale", "wrong secret"])
@pytest.mark.parametrize("kind", list(REQUESTS))
def test_forged_http_request_is_refused_and_changes_nothing(served_http_with_app_token: SlackHarness,
                                                            kind: str, forgery: str) -> None:
    h = served_http_with_app_token
    db = h.services.coaching.db  # type: ignore[union-attr]
    rows_before, calls_before = every_row(db), h.api.methods()

    reply = REQUESTS[kind](ForgingSender(h.app.url, forgery))

    assert reply.status == 401
    # A signed request's work starts after its ack: a signed control, sent after the forgery, has finished
    # its work by the time Slack sees its answer, so anything the forgery had set off would show by then too.
    h.slack.event(dm("control", user="UCONTROL"))
    h.api.wait_for("chat.stopStream")
    rows_after = every_row(db)
    gone = {t: [r for r in rows if r not in rows_after[t]] for t, rows in rows_before.items()}
    new = {t: [r for r in rows if r not in rows_before[t]] for t, rows in rows_after.items()}
    assert not any(gone.values())
    assert not any("VICTIM" in repr(r) or "forged" in repr(r) for rows in new.values() for r in rows)
    assert len(new["inbox"]) == 1  # the control's event only
    assert {t for t, rows in new.items() if rows} <= {"users", "audit_log", "conversation_turns", "inbox"}
    assert not [c for c in h.api.calls[len(calls_before):] if "VICTIM" in repr(c.args)]


@pytest.mark.parametrize("kind", ["view submission (forget_me_confirm for another user)", "slash command"])
def test_the_same_requests_signed_by_slack_are_served(served_http_with_app_token: SlackHarness, kind: str) -> None:
    assert REQUESTS[kind](served_http_with_app_token.slack).status == 200


def test_an_app_built_without_verification_cannot_be_served_over_http(fake_slack: FakeSlackAPI) -> None:
    from bot.errors import ConfigurationError

    settings: Settings = slack_settings(fake_slack, slack_app_token="xapp-test")
    socket_app = build_app(SlackServices(answerer=EchoAnswerer()), settings, transport="socket")
    with pytest.raises(ConfigurationError, match="cannot be served over HTTP"):
        asgi_app(socket_app)


def test_http_transport_needs_the_signing_secret_even_with_an_app_token(fake_slack: FakeSlackAPI) -> None:
    from bot.errors import ConfigurationError

    settings = slack_settings(fake_slack, slack_app_token="xapp-test", slack_signing_secret=None)
    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET is not set"):
        build_app(SlackServices(answerer=EchoAnswerer()), settings, transport="http")
