"""In Slack: the admins named in COACH_SLACK_ADMINS give and take away the programme-manager role; nobody else
can, not even for themselves; a limited manager sees only their cohorts; anyone can ask what managers see."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.coaching.roles import managers
from bot.coaching.trends import closed_period_bounds
from bot.slack.wiring import database_services
from bot.storage import Database
from tests.slack.conftest import SlackHarness, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.fakes import EchoAnswerer

ADMIN = "UADMIN"
LAST_QUARTER = closed_period_bounds(datetime.now(UTC), "quarter", 1)[0] + timedelta(days=10)


@pytest.fixture
def app(database: Database, serve: Callable[..., SlackHarness], fake_slack: FakeSlackAPI) -> SlackHarness:
    settings = slack_settings(fake_slack, slack_admins=[ADMIN])
    return serve(database_services(database, EchoAnswerer(), settings), slack_admins=[ADMIN])


def _reply(app: SlackHarness, text: str, user: str) -> dict:
    app.api.reset()
    app.slack.command(text, user=user)
    return app.api.wait_for("response_url")[0]


def _managers(app: SlackHarness) -> dict[str, str]:
    assert app.services.coaching is not None
    return {r.user_id: r.scope for r in managers(app.services.coaching.db.uow())}


def test_a_named_admin_grants_with_cohorts_lists_and_revokes(app: SlackHarness) -> None:
    granted = _reply(app, "managers grant <@UBOSS|boss> Kent LSP, Essex", ADMIN)
    assert "<@UBOSS> is a programme manager" in granted["text"] and "Essex, Kent LSP" in granted["text"]
    assert _managers(app) == {"slack:T1:UBOSS": "cohorts Essex, Kent LSP"}
    listed = _reply(app, "managers list", ADMIN)
    assert "<@UBOSS>: cohorts Essex, Kent LSP" in listed["text"]
    assert "no longer" in _reply(app, "managers revoke UBOSS", ADMIN)["text"]
    assert _managers(app) == {}
    assert "Use `/coach managers grant" in _reply(app, "managers promote UBOSS", ADMIN)["text"]


@pytest.mark.parametrize(("text", "user"), [
    ("managers grant <@U1>", "U1"),  # an officer making themselves a manager
    ("managers grant UFRIEND", "U1"),  # … or a friend
    ("managers list", "U1"),
    (f"managers grant {ADMIN}", ADMIN),  # an admin giving it to themselves
])
def test_attack_a_non_admin_or_a_self_grant_is_refused(app: SlackHarness, text: str, user: str) -> None:
    reply = _reply(app, text, user)
    assert any(refusal in reply["text"] for refusal in ("Nobody can make themselves", "Only the"))
    assert _managers(app) == {}
    assert app.services.coaching is not None
    with app.services.coaching.db.uow() as uow:  # the attempt is on record under whoever tried
        tried = [e.action for e in uow.audit.entries(subject=f"slack:T1:{user}")]
    assert tried == (["manager_change_refused"] if "grant" in text else [])


def test_attack_a_manager_cannot_revoke_another(app: SlackHarness) -> None:
    _reply(app, "managers grant UBOSS", ADMIN)
    _reply(app, "managers grant UOTHER", ADMIN)
    assert "Only the coach's operators" in _reply(app, "managers revoke UOTHER", "UBOSS")["text"]
    assert set(_managers(app)) == {"slack:T1:UBOSS", "slack:T1:UOTHER"}


@pytest.fixture
def cohorts(app: SlackHarness) -> Database:
    assert app.services.coaching is not None
    db: Database = app.services.coaching.db
    for label in ("Kent LSP", "Essex"):
        for i, rating in enumerate([2, 3, 4, 4, 5]):
            person = f"slack:T1:U{label[:4].upper()}{i}"
            set_profile(db.uow(), person, cohort=label)
            submit_assessment(db.uow(), person, {"listening": rating}, now=LAST_QUARTER)
    return db


def test_attack_a_limited_manager_asking_for_another_cohort_is_refused(app: SlackHarness, cohorts: Database) -> None:
    _reply(app, "managers grant UBOSS Kent LSP", ADMIN)
    shown = json.dumps(_reply(app, "trends", "UBOSS")["blocks"])
    assert "Kent LSP" in shown and "Essex" not in shown and "All participants" not in shown
    refused = _reply(app, "trends Essex", "UBOSS")
    assert "your own cohorts only: Kent LSP" in refused["text"] and not refused.get("blocks")


def test_an_officer_sees_what_managers_see_about_their_groups(app: SlackHarness, cohorts: Database) -> None:
    before = json.dumps(_reply(app, "what-managers-see", "UKENT0")["blocks"])
    assert "not yet published" in before and "What protects you" in before
    _reply(app, "managers grant UBOSS", ADMIN)
    _reply(app, "trends", "UBOSS")  # a manager looks: the quarter is published
    after = json.dumps(_reply(app, "what-managers-see", "UKENT0")["blocks"], ensure_ascii=False)
    assert "Kent LSP · Listening to stakeholders and partners" in after and "(5 people)" in after
    assert "All participants · Listening" in after and "(10 people)" in after
    assert "Essex" not in after and "at least 5 people" in after
    nothing = json.dumps(_reply(app, "what-managers-see", "UNEW")["blocks"])
    assert "no ratings yet" in nothing


@pytest.mark.parametrize(("text", "expected"), [
    ("grant <@UBOSS|Ann Smith> Kent LSP, Essex", ("grant", "UBOSS", ["Kent LSP", "Essex"])),
    ("grant UBOSS", ("grant", "UBOSS", [])),
    ("REVOKE <@UX>", ("revoke", "UX", [])),
    ("grant @ann Kent", ("grant", None, [])),  # a display name cannot be resolved: a mention or member id only
    ("grant UBOSSy Kent", ("grant", None, [])),
])
def test_the_person_is_named_by_mention_or_member_id(text: str, expected: tuple) -> None:
    from bot.slack.listeners.commands.managers import parse

    assert parse(text) == expected
