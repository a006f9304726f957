"""The Home tab: a personal dashboard built from the user's own data."""

from __future__ import annotations

import json

from bot.coaching.attributes import attributes
from tests.slack.conftest import SlackHarness
from tests.slack.test_assessment import submitted_view

HOME = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}


def home_text(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def test_home_tab_for_a_new_user_invites_a_first_assessment(coached: SlackHarness) -> None:
    coached.slack.event(HOME)
    published = coached.api.wait_for("views.publish")[0]
    assert published["user_id"] == "U1"
    text = home_text(published["view"])
    assert "No self-assessment yet." in text and "home_assess" in text and "home_forget" in text


def test_home_tab_shows_ratings_trajectory_exercise_and_weekly_settings(exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    first = attributes().attributes[0]
    h.slack.view_submission(submitted_view({first.id: 2}, view_id="VH1"))
    h.slack.view_submission(submitted_view({first.id: 4}, view_id="VH2"))
    h.api.wait_for("views.publish", count=2)  # refreshed after each save
    h.slack.command("weekly on friday 16:00")
    h.api.wait_for("chat.postEphemeral")
    h.slack.command("reflect")
    h.api.wait_for("chat.postMessage", count=5)
    h.api.reset()
    h.slack.event(HOME)
    text = home_text(h.api.wait_for("views.publish")[0]["view"])
    assert f"{first.name}: *4*/5  (2 → 4)" in text
    assert "Mapping your influence (step 1 of 3)" in text
    assert "Fridays at 16:00" in text
    assert "Programme trends" not in text


def test_home_chart_button_sends_a_png_to_the_dm(coached: SlackHarness) -> None:
    coached.slack.view_submission(submitted_view({attributes().ids[0]: 3}))
    coached.api.wait_for("chat.postMessage")
    coached.slack.action("home_chart", "", channel="D1")
    coached.api.wait_for("files.completeUploadExternal")
    assert any(upload.startswith(b"\x89PNG") for upload in coached.api.uploads)


def test_programme_managers_see_where_the_trends_are(coached: SlackHarness) -> None:
    from bot.coaching.conversation import set_profile

    set_profile(coached.services.coaching.db.uow(), "slack:T1:U1", role="programme_manager")  # type: ignore[union-attr]
    coached.slack.event(HOME)
    assert "Programme trends" in home_text(coached.api.wait_for("views.publish")[0]["view"])
