"""Your data in Slack: export as files, erasure after confirmation (the privacy notice: test_privacy_notice.py)."""

from __future__ import annotations

import json

from bot.coaching.attributes import attributes
from tests.slack.conftest import SlackHarness
from tests.slack.test_assessment import submitted_view


def test_my_data_sends_the_export_as_files_in_dm(coached: SlackHarness) -> None:
    coached.slack.view_submission(submitted_view({attributes().ids[0]: 4}, notes="private note"))
    coached.api.wait_for("chat.postMessage")
    coached.slack.command("my-data")
    coached.api.wait_for("files.completeUploadExternal", count=2)  # the Home tab's chart, then the export
    [complete] = [c for c in coached.api.called("files.completeUploadExternal") if len(c["files"]) == 2]
    assert complete["channel_id"] == "D1"  # the export, in the person's DM (as the Home tab's chart is)
    assert len(complete["files"]) == 2
    export = next(json.loads(u) for u in coached.api.uploads if u.startswith(b"{"))
    assert export["user_id"] == "slack:T1:U1"
    assert export["tables"]["submissions"][0]["note"] == "private note"


def test_forget_me_asks_for_confirmation_then_erases_and_reports_counts(coached: SlackHarness) -> None:
    coached.slack.view_submission(submitted_view({attributes().ids[0]: 4}))
    coached.api.wait_for("views.publish")  # saved, and the Home tab (with its chart) refreshed
    coached.slack.command("forget-me")
    modal = coached.api.wait_for("views.open")[0]["view"]
    db = coached.services.coaching.db  # type: ignore[union-attr]
    with db.uow() as uow:
        assert uow.assessments.count("slack:T1:U1") == 1  # nothing erased before confirming
    coached.slack.view_submission({"id": "VFORGET", "type": "modal", "callback_id": modal["callback_id"],
                                   "state": {"values": {}}})
    done = coached.api.wait_for("chat.postMessage", count=2)[-1]
    assert done["text"].startswith("Done: I erased")
    # The Home tab's chart pictured the ratings: it is deleted from Slack too.
    chart = coached.api.called("files.completeUploadExternal")[0]["files"][0]["id"]
    assert [d["file"] for d in coached.api.wait_for("files.delete")] == [chart]
    with db.uow() as uow:
        assert uow.assessments.count("slack:T1:U1") == 0
        assert uow.users.get("slack:T1:U1") is None
