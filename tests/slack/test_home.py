"""The Home tab: a personal dashboard built from the user's own data."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select

from bot.coaching.attributes import attributes
from bot.coaching.data_rights import erase_user
from bot.storage.orm import UploadedFileRow
from tests.slack.conftest import SlackHarness, eventually, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
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
    assert eventually(lambda: len([r for _, r in h.api.exchanges("views.publish") if r.get("ok")]) >= 2)  # refreshed
    h.slack.command("weekly on friday 16:00")
    h.api.wait_for("response_url")
    h.slack.command("reflect")
    h.api.wait_for("chat.postMessage", count=5)
    h.api.reset()
    h.slack.event(HOME)
    h.api.wait_for("views.publish")
    text = home_text(eventually(lambda: [a for a, r in h.api.exchanges("views.publish") if r.get("ok")])[-1]["view"])
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


def image_blocks(view: dict) -> list[dict]:
    return [b for b in view["blocks"] if b["type"] == "image"]


def uploaded_charts(h: SlackHarness) -> list[str]:
    """Ids of the files the app finished uploading, in order."""
    return [f["id"] for _, reply in h.api.exchanges("files.completeUploadExternal") if reply.get("ok")
            for f in reply["files"]]


def uploaded_files(h: SlackHarness) -> list[dict]:
    """The app's record of the files it uploaded about U1 (what erasure deletes)."""
    db = h.services.coaching.db  # type: ignore[union-attr]
    with db.engine.connect() as connection:
        rows = connection.execute(select(UploadedFileRow.__table__).order_by(UploadedFileRow.created_at))
        return [dict(r._mapping) for r in rows if r.user_id == "slack:T1:U1"]


def test_home_tab_shows_the_trajectory_chart_inline_and_uploads_it_only_when_ratings_change(
        coached: SlackHarness) -> None:
    h = coached
    first = attributes().attributes[0]
    h.slack.view_submission(submitted_view({first.id: 2}, view_id="VC1"))
    h.api.wait_for("views.publish")  # the Home tab refreshed after the save: the chart is uploaded then
    h.slack.event(HOME)
    view = h.api.wait_for("views.publish", count=2)[-1]["view"]
    [chart_id] = uploaded_charts(h)
    [image] = image_blocks(view)
    assert image["slack_file"] == {"id": chart_id}
    assert image["alt_text"].startswith("Small line charts of your self-ratings over time, one per attribute")
    assert first.name in image["alt_text"]
    # Uploaded the v2 way, as a PNG, and shared in the person's own DM: Slack shows an image block only to
    # people a file is shared with, and there only they can see it.
    [(announced, upload_url)] = h.api.exchanges("files.getUploadURLExternal")
    assert announced["filename"] == "coach-progress.png"
    assert upload_url["upload_url"].startswith(h.api.url.removesuffix("api/") + "upload/")  # served by the fake
    assert h.api.files[chart_id].data is not None and h.api.files[chart_id].data.startswith(b"\x89PNG")
    assert int(announced["length"]) == len(h.api.files[chart_id].data)
    [complete] = h.api.called("files.completeUploadExternal")
    assert complete["channel_id"] == "D1" and h.api.files[chart_id].channels == ["D1"]
    assert "Home tab" in complete["initial_comment"]
    assert [(f["ref"], f["kind"]) for f in uploaded_files(h)] == [(chart_id, "home-chart")]  # recorded for erasure
    # Opened again with the same ratings: the same file, no new upload.
    h.slack.event(HOME)
    again = h.api.wait_for("views.publish", count=3)[-1]["view"]
    assert image_blocks(again)[0]["slack_file"] == {"id": chart_id}
    assert len(h.api.called("files.getUploadURLExternal")) == 1
    # New ratings: a new chart, and the old file is deleted once the new one is shown.
    h.slack.view_submission(submitted_view({first.id: 4}, view_id="VC2"))
    newer = h.api.wait_for("views.publish", count=4)[-1]["view"]
    new_id = uploaded_charts(h)[-1]
    assert new_id != chart_id and image_blocks(newer)[0]["slack_file"] == {"id": new_id}
    assert h.api.wait_for("files.delete")[0]["file"] == chart_id
    assert eventually(lambda: [f["ref"] for f in uploaded_files(h)] == [new_id])  # every copy left is recorded


def test_home_tab_falls_back_to_the_text_trajectory_when_the_chart_upload_fails(coached: SlackHarness) -> None:
    h = coached
    first = attributes().attributes[0]
    h.api.fail("files.completeUploadExternal", "internal_error")
    h.slack.view_submission(submitted_view({first.id: 3}, view_id="VF1"))
    view = h.api.wait_for("views.publish")[0]["view"]
    assert image_blocks(view) == []
    assert f"{first.name}: *3*/5  (3)" in home_text(view)
    h.slack.event(HOME)  # the next opening tries again, and shows it
    view = h.api.wait_for("views.publish", count=2)[-1]["view"]
    assert image_blocks(view)[0]["slack_file"] == {"id": uploaded_charts(h)[-1]}


def test_a_chart_slack_no_longer_shows_is_replaced_on_the_next_opening(coached: SlackHarness) -> None:
    h = coached
    h.slack.view_submission(submitted_view({attributes().ids[0]: 3}, view_id="VD1"))
    h.api.wait_for("views.publish")
    [gone] = uploaded_charts(h)
    h.api.files[gone].deleted = True  # e.g. removed by a workspace admin
    h.slack.event(HOME)
    shown = h.api.wait_for("views.publish", count=3)[-1]["view"]
    assert [r.get("error") for _, r in h.api.exchanges("views.publish")][1:] == ["invalid_blocks", None]
    assert image_blocks(shown) == []  # this time the text only; never an error for the user
    h.slack.event(HOME)
    latest = h.api.wait_for("views.publish", count=4)[-1]["view"]
    [fresh] = [f for f in uploaded_charts(h) if f != gone]
    assert image_blocks(latest)[0]["slack_file"] == {"id": fresh}


def test_a_chart_uploaded_for_someone_erased_meanwhile_is_deleted_not_kept(coached: SlackHarness,
                                                                          fake_slack: FakeSlackAPI) -> None:
    from bot.coaching.history import history_summary
    from bot.slack.client import build_client
    from bot.slack.home import home_chart

    coaching = coached.services.coaching
    assert coaching is not None
    coached.slack.view_submission(submitted_view({attributes().ids[0]: 3}, view_id="VE1"))
    coached.api.wait_for("views.publish")
    summary = history_summary(coaching.db.uow(), "slack:T1:U1")
    erase_user(coaching.db.uow(), "slack:T1:U1", b"secret")  # between reading the ratings and the upload
    client = build_client(slack_settings(fake_slack), "xoxb-test")
    assert home_chart(coaching, client, "slack:T1:U1", replace(summary, trends=summary.trends[:1]), "U1") is None
    uploaded = uploaded_charts(coached)
    assert len(uploaded) == 2 and fake_slack.files[uploaded[-1]].deleted
