"""A reflective exercise in a DM thread, run to the end across a restart of the app."""

from __future__ import annotations

import json

from bot.coaching.attributes import attributes
from tests.slack.conftest import SlackHarness, eventually
from tests.slack.signed import trigger_id
from tests.slack.test_asking import dm


def test_exercise_runs_to_the_end_across_a_restart(exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    h.slack.command("reflect")
    step1 = h.api.wait_for("chat.postMessage", count=3)[-1]  # privacy notice, opening, step 1
    root_ts = step1["thread_ts"]
    assert "Step 1 of 3" in step1["blocks"][0]["text"]["text"]
    h.slack.event(dm("The <!here> police commander", ts="1700004001.000100", thread_ts=root_ts))
    step2 = h.api.wait_for("chat.postMessage", count=4)[-1]
    assert "Step 2 of 3" in step2["blocks"][0]["text"]["text"]

    h.app.restart()  # a deploy between steps: everything needed lives in the database

    button = next(b for b in step2["blocks"] if b["type"] == "actions")["elements"][3]
    h.slack.action(button["action_id"], button["value"])
    step3 = h.api.wait_for("chat.postMessage", count=5)[-1]
    assert "Step 3 of 3" in step3["blocks"][0]["text"]["text"]
    h.slack.event(dm("Meet them before the board", ts="1700004002.000100", thread_ts=root_ts))
    done = h.api.wait_for("chat.postMessage", count=6)[-1]
    assert "You finished Mapping your influence." in json.dumps(done["blocks"])
    checkins = [b for b in done["blocks"] if b.get("block_id", "").startswith("checkin.")]
    assert len(checkins) == 2
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        answers = [(r.step_id, r.answer, r.rating) for r in uow.exercises.reflections("slack:T1:U1")]
    assert answers == [("where", "The <!here> police commander", None), ("how-well", None, 4),
                       ("next", "Meet them before the board", None)]


def test_quick_check_in_after_an_exercise_is_stored_once(exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    ids = attributes().ids
    db = h.services.coaching.db  # type: ignore[union-attr]

    def check_in(attribute_id: str, rating: int) -> None:
        value = json.dumps({"session": 7, "attribute": attribute_id, "rating": rating})
        h.slack.interaction({"type": "block_actions", "user": {"id": "U1"}, "trigger_id": trigger_id(),
                             "container": {"type": "message", "channel_id": "D1"}, "channel": {"id": "D1"},
                             "actions": [{"action_id": "checkin_rating", "block_id": f"checkin.7.{attribute_id}",
                                          "type": "static_select", "selected_option": {"value": value}}]})

    def stored() -> list[tuple[str, list[tuple[str, int]]]]:
        with db.uow() as uow:
            return [(s.source, [(r.attribute_id, r.rating) for r in s.ratings])
                    for s in uow.assessments.for_user("slack:T1:U1")]

    check_in(ids[0], 4)
    assert eventually(stored)
    check_in(ids[0], 4)  # the same click again
    check_in(ids[1], 2)
    eventually(lambda: len(stored()) >= 2)
    assert stored() == [("exercise", [(ids[0], 4)]), ("exercise", [(ids[1], 2)])]
