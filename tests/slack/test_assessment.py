"""The self-assessment modal: opened, validated on the right field, stored once however often it arrives."""

from __future__ import annotations

import json

import pytest

from bot.coaching.attributes import attributes
from bot.slack.blocks.assessment import NOTES_ACTION, NOTES_BLOCK, RATING_ACTION, RATING_BLOCK
from tests.slack.conftest import SlackHarness


def submitted_view(ratings: dict[str, int], notes: str | None = None, view_id: str = "VASSESS1") -> dict:
    values: dict = {RATING_BLOCK + a: {RATING_ACTION: {"type": "static_select", "selected_option": (
        {"value": str(ratings[a]), "text": {"type": "plain_text", "text": str(ratings[a])}} if a in ratings else None)}}
        for a in attributes().ids}
    values[NOTES_BLOCK] = {NOTES_ACTION: {"type": "plain_text_input", "value": notes}}
    return {"id": view_id, "callback_id": "self_assessment", "type": "modal", "state": {"values": values}}


def test_assess_opens_a_modal_with_the_nine_attributes_and_their_anchors(coached: SlackHarness) -> None:
    coached.slack.command("assess")
    view = coached.api.wait_for("views.open")[0]["view"]
    selects = [b for b in view["blocks"] if b.get("block_id", "").startswith(RATING_BLOCK)]
    assert len(selects) == 9
    first = attributes().attributes[0]
    options = selects[0]["element"]["options"]
    assert [o["value"] for o in options] == ["1", "2", "3", "4", "5"]
    # Each choice sits under a section that shows the attribute's anchors whole (options are cut at 75 chars).
    anchors_shown = view["blocks"][view["blocks"].index(selects[0]) - 1]["text"]["text"]
    assert all(anchor in anchors_shown for anchor in first.anchors.values())


def test_assessment_submitted_twice_is_stored_once(coached: SlackHarness) -> None:
    ids = attributes().ids
    view = submitted_view({ids[0]: 4, ids[1]: 2}, notes="<!channel> I listen more than I did")
    first = coached.slack.view_submission(view)
    again = coached.slack.view_submission(view)
    assert (first.status, again.status) == (200, 200)
    saved = coached.api.wait_for("chat.postMessage")[0]
    assert "Saved your self-assessment" in saved["text"]
    # A later, different submission proves the duplicate had its chance to be stored.
    coached.slack.view_submission(submitted_view({ids[2]: 5}, view_id="VASSESS2"))
    coached.api.wait_for("chat.postMessage", count=2)
    with coached.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        submissions = uow.assessments.for_user("slack:T1:U1")
    assert [dict((r.attribute_id, r.rating) for r in s.ratings) for s in submissions] == [
        {ids[0]: 4, ids[1]: 2}, {ids[2]: 5}]
    assert submissions[0].note == "<!channel> I listen more than I did"
    assert len(coached.api.called("chat.postMessage")) == 2


def test_assessment_with_no_rating_shows_the_error_on_the_first_attribute(coached: SlackHarness) -> None:
    reply = coached.slack.view_submission(submitted_view({}))
    body = json.loads(reply.body)
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [RATING_BLOCK + attributes().ids[0]]


def test_assessment_with_overlong_notes_shows_the_error_on_the_notes(coached: SlackHarness) -> None:
    reply = coached.slack.view_submission(submitted_view({attributes().ids[0]: 3}, notes="x" * 3001))
    assert json.loads(reply.body)["errors"].keys() == {NOTES_BLOCK}


@pytest.mark.parametrize("forged", ["²", "٣", "6", "0", "4.0", ""])
def test_a_forged_rating_other_than_1_to_5_is_refused_in_the_form_and_nothing_is_stored(
        coached: SlackHarness, forged: str) -> None:
    first = attributes().ids[0]
    view = submitted_view({first: 4})
    view["state"]["values"][RATING_BLOCK + first][RATING_ACTION]["selected_option"]["value"] = forged
    reply = coached.slack.view_submission(view)
    assert reply.status == 200
    assert json.loads(reply.body)["errors"] == {RATING_BLOCK + first: "Ratings are the whole numbers 1 to 5."}
    with coached.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        assert uow.assessments.count() == 0
