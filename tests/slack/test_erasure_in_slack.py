"""Erasure reaches every file the app put in Slack, and says what it could not delete and what is the user's."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.attributes import attributes
from bot.coaching.uploads import uploads_of
from bot.slack.blocks.data import FORGET_VIEW
from tests.slack.conftest import SlackHarness, eventually
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.test_assessment import submitted_view
from tests.slack.test_home import HOME, uploaded_charts

PERSON = "slack:T1:U1"


def confirm_forget_me(h: SlackHarness) -> str:
    """Confirm erasure as U1 would; the DM that reports it."""
    before = len(h.api.called("chat.postMessage"))
    h.slack.view_submission({"id": "VFORGET", "type": "modal", "callback_id": FORGET_VIEW, "state": {"values": {}}})
    return str(h.api.wait_for("chat.postMessage", count=before + 1)[-1]["text"])


def bot_files_left(api: FakeSlackAPI) -> list[str]:
    return [f.filename for f in api.live_files() if f.owner == "UBOT"]


def test_forget_me_deletes_the_export_and_charts_sent_by_dm_and_says_what_the_user_must_delete(
        coached: SlackHarness) -> None:
    h = coached
    h.slack.view_submission(submitted_view({attributes().ids[0]: 4}, notes="kept in the export"))
    h.api.wait_for("views.publish")  # the Home tab's chart
    h.slack.command("my-data")
    h.slack.action("home_chart", "", channel="D1")
    h.api.wait_for("files.completeUploadExternal", count=3)
    eventually(lambda: len(uploads_of(h.services.coaching.db.uow(), PERSON)) == 4)  # type: ignore[union-attr]
    assert sorted(bot_files_left(h.api)) == ["coach-my-data.json", "coach-progress.png", "coach-progress.png",
                                             "coach-ratings.csv"]

    report = confirm_forget_me(h)

    assert bot_files_left(h.api) == []
    assert "I deleted 4 file(s) I had uploaded to Slack for you" in report
    assert "coach-my-data.json" in report and "coach-ratings.csv" in report
    assert "your own messages in our conversation here stay in Slack until you delete them" in report


def test_a_chart_whose_record_was_dropped_after_slack_refused_the_view_is_still_deleted(
        coached: SlackHarness) -> None:
    h = coached
    h.slack.view_submission(submitted_view({attributes().ids[0]: 3}, view_id="VR1"))
    assert eventually(lambda: accepted_homes(h) == 1)  # the refresh, with the chart shared in the DM
    [chart] = uploaded_charts(h)
    h.api.fail("views.publish", "invalid_blocks")  # e.g. an administrator changed the file's sharing
    h.slack.event(HOME)  # Slack refuses the (known) chart: its record is forgotten, the text shown
    assert eventually(lambda: accepted_homes(h) == 2)
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        assert uow.charts.all_for(PERSON) == []
    assert h.api.files[chart].live

    confirm_forget_me(h)

    assert not h.api.files[chart].live
    assert chart in [c["file"] for c in h.api.called("files.delete")]


def test_a_file_slack_will_not_delete_is_reported_and_everything_else_is_still_erased(coached: SlackHarness) -> None:
    h = coached
    h.slack.view_submission(submitted_view({attributes().ids[0]: 3}, view_id="VX1"))
    h.api.wait_for("views.publish")
    h.api.fail("files.delete", "cant_delete_file")

    report = confirm_forget_me(h)

    assert "Slack would not let me delete 1 file(s) (coach-progress.png)" in report
    assert "workspace administrator" in report
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        assert uow.users.get(PERSON) is None and uow.uploads.for_user(PERSON) == []


def test_the_fake_refuses_deletes_slack_refuses(fake_slack: FakeSlackAPI) -> None:
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    theirs = fake_slack.add_file_from("U1", "my-notes.txt", b"mine")
    with pytest.raises(SlackApiError) as refused:
        client.files_delete(file=theirs)
    assert refused.value.response["error"] == "cant_delete_file" and fake_slack.files[theirs].live
    with pytest.raises(SlackApiError) as missing:
        client.files_delete(file="F404")
    assert missing.value.response["error"] == "file_not_found"
    mine = client.files_upload_v2(content=b"chart", filename="c.png")["file"]["id"]
    client.files_delete(file=mine)
    with pytest.raises(SlackApiError) as again:
        client.files_delete(file=mine)
    assert again.value.response["error"] == "file_not_found"


def accepted_homes(h: SlackHarness) -> int:
    return len([r for _, r in h.api.exchanges("views.publish") if r.get("ok")])
