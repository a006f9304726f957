"""Guests and people from other organisations (Slack Connect): by default they may ask questions, and nothing
personal is stored about them; settings allow more (`full`) or nothing (`none`)."""

from __future__ import annotations

from bot.coaching.attributes import attributes
from bot.slack.standing import PeoplePolicy
from tests.slack.conftest import SlackHarness
from tests.slack.test_asking import dm
from tests.slack.test_assessment import submitted_view


def test_someone_from_another_organisation_is_answered_with_nothing_kept_about_them(coached: SlackHarness) -> None:
    coached.api.user_teams["U7"] = "TNHS"
    coached.slack.event(dm("How do I lead a partnership?", user="U7"), user_team="TNHS")
    coached.api.wait_for("chat.stopStream")
    assert coached.answerer.asked == [("How do I lead a partnership?", None, None)]  # no memory, no person
    db = coached.services.coaching.db  # type: ignore[union-attr]
    with db.uow() as uow:
        assert uow.users.get("slack:T1:U7") is None  # not even a notice record


def test_personal_features_are_explained_not_opened_for_someone_from_another_organisation(
        coached: SlackHarness) -> None:
    coached.api.user_teams["U7"] = "TNHS"
    coached.slack.command("assess", user="U7")
    [reply] = coached.api.wait_for("response_url")
    assert "keep nothing personal about you" in reply["text"] and "self-assessment" in reply["text"]
    coached.slack.view_submission(submitted_view({attributes().ids[0]: 4}, view_id="VEXT"), user="U7",
                                  user_team="TNHS")
    assert "keep nothing personal" in coached.api.wait_for("chat.postMessage")[0]["text"]
    assert coached.api.called("views.open") == []
    with coached.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        assert uow.assessments.count() == 0


def test_a_guest_is_turned_away_when_the_setting_says_none(coached: SlackHarness) -> None:
    coached.api.guests["U8"] = "single"
    coached.services.people = PeoplePolicy(guest_access="none")
    coached.slack.event(dm("How do I lead?", user="U8"))
    [reply] = coached.api.wait_for("chat.postMessage")
    assert "cannot use this coach" in reply["text"] and coached.answerer.asked == []


def test_a_guest_may_do_everything_when_the_setting_says_full(coached: SlackHarness) -> None:
    coached.api.guests["U8"] = "multi"
    coached.services.people = PeoplePolicy(guest_access="full")
    coached.slack.command("assess", user="U8")
    assert coached.api.wait_for("views.open")[0]["view"]["callback_id"] == "self_assessment"
    coached.slack.event(dm("How do I lead?", user="U8"))
    coached.api.wait_for("chat.stopStream")
    assert [who for _, _, who in coached.answerer.asked] == ["slack:T1:U8"]


def test_members_are_looked_up_once_not_on_every_request(coached: SlackHarness) -> None:
    coached.slack.event(dm("question 0", ts="1700000500.000100"))
    coached.api.wait_for("chat.stopStream")
    for i in (1, 2):
        coached.slack.event(dm(f"question {i}", ts=f"170000050{i}.000100"))
        coached.api.wait_for("chat.stopStream", count=i + 1)
    coached.slack.command("weekly status")
    coached.api.wait_for("response_url")
    assert len(coached.api.called("users.info")) == 1


