"""One person, one id: the same person id from every kind of request, in a Slack Connect channel (where their own
workspace differs from the one that installed the coach) and across an Enterprise Grid organisation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.coaching.conversation import append_turn
from bot.coaching.weekly import subscribe, subscription_status
from bot.slack.people import person_of
from bot.slack.standing import PeoplePolicy
from bot.storage.orm import SLACK_BOTS
from tests.slack.conftest import SIGNING_SECRET, SlackHarness, eventually
from tests.slack.signed import SlackSender
from tests.slack.test_asking import dm
from tests.slack.test_assessment import submitted_view

HOME = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}


@pytest.mark.parametrize(("context", "expected"), [
    ({"team_id": "T1", "user_id": "U1"}, "slack:T1:U1"),
    ({"enterprise_id": "E1", "team_id": "T2", "user_id": "W1"}, "slack:E1:W1"),
    ({"enterprise_id": None, "team_id": "T1", "user_id": "U1", "actor_team_id": "T2"}, "slack:T1:U1"),
])
def test_the_person_id_is_the_organisation_or_installing_workspace_and_the_user(context: dict, expected: str) -> None:
    assert person_of(context) == expected


def test_a_slack_connect_user_sees_on_home_the_assessment_they_submitted(coached: SlackHarness) -> None:
    coached.api.user_teams["U1"] = "T2"
    coached.services.people = PeoplePolicy(external_access="full")  # allowed to keep data for other organisations
    first = attributes().attributes[0]
    # From another organisation's workspace T2, in a channel shared with the coach's workspace T1.
    coached.slack.view_submission(submitted_view({first.id: 4}, view_id="VCONNECT"), user_team="T2")
    assert eventually(lambda: shown_homes(coached))  # the Home tab refreshed after the save
    coached.api.reset()
    coached.slack.event(HOME, user_team="T2")
    text = eventually(lambda: shown_homes(coached))[0]  # type: ignore[index]
    assert "No self-assessment yet." not in text and f"{first.name}: *4*/5" in text
    with coached.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        assert len(uow.assessments.for_user("slack:T1:U1")) == 1
        assert uow.assessments.for_user("slack:T2:U1") == []


def test_every_kind_of_request_from_one_grid_member_reaches_the_same_person(coached: SlackHarness) -> None:
    # One Enterprise Grid organisation E1; the coach installed in workspace T1; the member's home is T2.
    coached.api.enterprise_id = "E1"
    grid = SlackSender(coached.app.url, SIGNING_SECRET, coached.api.response_url, team="T1", enterprise="E1")
    first = attributes().attributes[0]
    grid.view_submission(submitted_view({first.id: 3}, view_id="VGRID"), user="W1", user_team="T2")
    coached.api.wait_for("chat.postMessage")
    grid.command("weekly on friday 16:00", user="W1")
    coached.api.wait_for("response_url")
    grid.event(dm("How do I lead?", user="W1"), user_team="T2")
    coached.api.wait_for("chat.stopStream")
    db = coached.services.coaching.db  # type: ignore[union-attr]
    with db.uow() as uow:
        assert len(uow.assessments.for_user("slack:E1:W1")) == 1
    assert subscription_status(db.uow(), "slack:E1:W1") is not None
    assert [who for _, _, who in coached.answerer.asked] == ["slack:E1:W1"]
    # The same member opening the coach from another workspace of the organisation is still the same person.
    elsewhere = SlackSender(coached.app.url, SIGNING_SECRET, team="T3", enterprise="E1")
    assert eventually(lambda: shown_homes(coached))  # the Home tab refreshed after the assessment was saved
    coached.api.reset()
    elsewhere.event({**HOME, "user": "W1"})
    text = eventually(lambda: shown_homes(coached))[0]  # type: ignore[index]
    assert f"{first.name}: *3*/5" in text and "Fridays at 16:00" in text


def shown_homes(h: SlackHarness) -> list[str]:
    """The Home tabs Slack accepted, as text."""
    return [json.dumps(args["view"]["blocks"], ensure_ascii=False) for args, reply in h.api.exchanges("views.publish")
            if reply.get("ok")]


def test_a_grid_members_rows_stored_under_their_workspace_are_theirs_again_from_their_next_request(
        coached: SlackHarness) -> None:
    # Before one person had one id, a form submitted from the member's home workspace T2 (user.team_id) stored
    # the self-assessment, the weekly prompt and the conversation under slack:T2:W1.
    coached.api.enterprise_id = "E1"
    db = coached.services.coaching.db  # type: ignore[union-attr]
    first = attributes().attributes[0]
    submit_assessment(db.uow(), "slack:T2:W1", {first.id: 2}, notes="before the upgrade", source="slack")
    subscribe(db.uow(), "slack:T2:W1", day="friday", at="16:00")
    append_turn(db.uow(), "slack:D1:1699.1", "user", "an earlier question", "slack:T2:W1")
    # The member's next DM, as Grid sends it: the coach installed in T1 of E1, the member's own workspace T2.
    grid = SlackSender(coached.app.url, SIGNING_SECRET, coached.api.response_url, team="T1", enterprise="E1")
    grid.event(dm("How do I lead?", user="W1"), user_team="T2")
    coached.api.wait_for("chat.stopStream")
    with db.uow() as uow:
        assert len(uow.assessments.for_user("slack:E1:W1")) == 1
        assert uow.assessments.for_user("slack:T2:W1") == [] and uow.users.get("slack:T2:W1") is None
        assert next(t.content for t in uow.turns.of_person("slack:E1:W1")) == "an earlier question"
        assert [e.action for e in uow.audit.entries(subject="slack:E1:W1")].count("identity-merge") == 1
    assert subscription_status(db.uow(), "slack:E1:W1") is not None
    # Opened from a third workspace of the organisation, the Home tab shows what they had.
    coached.api.reset()
    SlackSender(coached.app.url, SIGNING_SECRET, team="T3", enterprise="E1").event({**HOME, "user": "W1"})
    text = eventually(lambda: shown_homes(coached))[0]  # type: ignore[index]
    assert f"{first.name}: *2*/5" in text and "Fridays at 16:00" in text


def test_ids_under_another_installed_workspace_are_that_workspaces_people_and_stay(coached: SlackHarness) -> None:
    from bot.slack.identity import CanonicalIds

    db = coached.services.coaching.db  # type: ignore[union-attr]
    submit_assessment(db.uow(), "slack:T2:U1", {attributes().attributes[0].id: 2}, source="slack")
    with db.engine.begin() as connection:  # T2 installed the coach too: slack:T2:U1 is their current id there
        connection.execute(SLACK_BOTS.insert().values(client_id="C", app_id="A1", team_id="T2", bot_token="xoxb-2",
                                                      installed_at=datetime.now(UTC).replace(tzinfo=None)))
    CanonicalIds().settle(db.uow, {"team_id": "T1", "user_id": "U1"}, {"team_id": "T1", "user": {"team_id": "T2"}})
    with db.uow() as uow:
        assert len(uow.assessments.for_user("slack:T2:U1")) == 1 and uow.users.get("slack:T1:U1") is None
