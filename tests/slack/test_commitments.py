"""Commitments in Slack, end to end through the fake Web API: made in a form at the end of an exercise, followed
up at the top of the next weekly prompt, marked done there (the prompt's own buttons stay), shown on the Home
tab, exported and erased; prompts paused and resumed; what the coach remembers, corrected and cleared."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.coaching.commitments import make_commitment
from bot.coaching.conversation import append_turn
from bot.coaching.model import Subscription
from bot.coaching.scheduler import run_due
from bot.slack.blocks.commitments import BY_BLOCK, BY_INPUT, WHAT_BLOCK, WHAT_INPUT, WITH_BLOCK, WITH_INPUT
from bot.slack.client import build_client
from bot.slack.installations import OneWorkspace
from bot.slack.weekly import deliver_by_dm, run_once
from tests.slack.conftest import SlackHarness, eventually, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.signed import trigger_id
from tests.slack.test_asking import dm
from tests.slack.test_weekly import make_due

PERSON = "slack:T1:U1"


def finish_exercise(h: SlackHarness) -> dict:
    """Run the three-step exercise to the end in its thread; the closing message."""
    h.slack.command("reflect")
    root_ts = h.api.wait_for("chat.postMessage", count=3)[-1]["thread_ts"]
    h.slack.event(dm("The police commander and the PCT", ts="1700004001.000100", thread_ts=root_ts))
    step2 = h.api.wait_for("chat.postMessage", count=4)[-1]
    rating = next(b for b in step2["blocks"] if b["type"] == "actions")["elements"][3]
    h.slack.action(rating["action_id"], rating["value"])
    h.api.wait_for("chat.postMessage", count=5)
    h.slack.event(dm("Meet them before the board", ts="1700004002.000100", thread_ts=root_ts))
    return h.api.wait_for("chat.postMessage", count=6)[5]


def form(what: str, by: str | None, whom: str, metadata: str, view_id: str = "VCOMMIT1") -> dict:
    return {"id": view_id, "type": "modal", "callback_id": "commitment_made", "private_metadata": metadata,
            "state": {"values": {WHAT_BLOCK: {WHAT_INPUT: {"type": "plain_text_input", "value": what}},
                                 BY_BLOCK: {BY_INPUT: {"type": "datepicker", "selected_date": by}},
                                 WITH_BLOCK: {WITH_INPUT: {"type": "plain_text_input", "value": whom}}}}}


def click(h: SlackHarness, message: dict, action_id: str, ts: str, view: dict | None = None) -> None:
    element, block = next((e, b) for b in message["blocks"] if b["type"] == "actions"
                          for e in b["elements"] if e["action_id"] == action_id)
    payload = {"type": "block_actions", "user": {"id": "U1"}, "trigger_id": trigger_id(), "channel": {"id": "D1"},
               "container": {"type": "view", "view_id": view["id"]} if view else
               {"type": "message", "channel_id": "D1", "message_ts": ts},
               "actions": [{"action_id": action_id, "block_id": block["block_id"], "value": element["value"],
                            "type": "button"}]}
    if view:
        payload["view"] = view
    else:
        payload["message"] = {"ts": ts, "blocks": message["blocks"]}
    h.slack.interaction(payload)


def test_a_commitment_is_made_followed_up_marked_done_exported_and_erased(exercise_harness: SlackHarness,
                                                                         fake_slack: FakeSlackAPI) -> None:
    h = exercise_harness
    coaching = h.services.coaching
    assert coaching is not None
    done = finish_exercise(h)
    assert "One last step: what will you do as a result of this?" in json.dumps(done["blocks"])
    form_button = next(e for b in done["blocks"] if b.get("block_id") == "commitment_ask" for e in b["elements"]
                       if e["action_id"] == "commitment_form")
    h.slack.action("commitment_form", form_button["value"])
    modal = h.api.wait_for("views.open")[0]["view"]
    assert [b["label"]["text"] for b in modal["blocks"]] == ["What will you do?", "By when?", "With whom?"]
    due = (datetime.now(UTC) + timedelta(days=10)).date()
    submitted = form("Call the PCT chief executive", f"{due:%Y-%m-%d}", "the director of public health",
                     modal["private_metadata"])
    h.slack.view_submission(submitted)
    noted = h.api.wait_for("chat.postMessage", count=7)[6]
    assert noted["thread_ts"] == done["thread_ts"]
    assert noted["text"].startswith("Noted: you will call the PCT chief executive, with the director of public "
                                    f"health, by {due:%a %-d %b %Y}.")
    h.slack.view_submission(submitted)  # a repeated submission: stored once
    with coaching.db.uow() as uow:
        assert len(eventually(lambda: uow.commitments.for_user(PERSON)) or []) == 1  # type: ignore[arg-type]

    # A week later the weekly prompt opens with it; the scheduler still sends one prompt that week.
    now = datetime.now(UTC)
    with coaching.db.uow() as uow:
        uow.weekly.save(Subscription(user_id=PERSON, active=True, weekday=now.weekday(), local_time="00:00",
                                     timezone="UTC", next_due_at=now - timedelta(minutes=5)), now)
        uow.commit()
    client = build_client(slack_settings(fake_slack), "xoxb-test")
    later = now + timedelta(days=7)
    assert run_due(coaching.db.uow(), lambda p: deliver_by_dm(client, p), coaching.library, later).sent == [PERSON]
    assert run_due(coaching.db.uow(), lambda p: deliver_by_dm(client, p), coaching.library, later).sent == []
    [(prompt, reply)] = [(a, r) for a, r in fake_slack.exchanges("chat.postMessage")
                         if "weekly reflection" in a["text"] and r.get("ok")]  # not a 429 retried
    assert prompt["text"].startswith("Last week you said you would call the PCT chief executive")
    assert prompt["blocks"][0]["text"]["text"].endswith("How did it go?")
    assert [e["text"]["text"] for e in prompt["blocks"][1]["elements"]] == ["Done", "Not yet", "Drop it"]

    click(h, prompt, "commitment_done", reply["ts"])
    update = h.api.wait_for("chat.update")[0]
    assert update["text"] == "Well done: kept as done."
    remaining = [e["action_id"] for b in update["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert remaining == ["weekly_start", "weekly_skip", "weekly_snooze"]  # the prompt itself is still answerable
    with coaching.db.uow() as uow:
        [kept] = uow.commitments.for_user(PERSON)
    assert kept.status == "done" and kept.outcome_at is not None and kept.followed_up_at is not None

    h.slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    assert eventually(lambda: any("Your commitments" in json.dumps(c["view"]) and
                                  "Done: call the PCT chief executive" in json.dumps(c["view"])
                                  for c in h.api.called("views.publish")))

    h.slack.command("my-data")
    h.api.wait_for("files.completeUploadExternal")
    export = next(json.loads(u) for u in h.api.uploads if u.startswith(b"{"))
    assert [(c["what"], c["status"]) for c in export["tables"]["commitments"]] == [
        ("Call the PCT chief executive", "done")]
    h.slack.command("forget-me")
    confirm = h.api.wait_for("views.open", count=2)[1]["view"]  # after the commitment form
    posted = len(h.api.called("chat.postMessage"))
    h.slack.view_submission({"id": "VFORGET", "type": "modal", "callback_id": confirm["callback_id"],
                             "state": {"values": {}}})
    assert h.api.wait_for("chat.postMessage", count=posted + 1)[-1]["text"].startswith("Done: I erased")
    with coaching.db.uow() as uow:
        assert uow.commitments.for_user(PERSON) == []


def actions_in(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


@pytest.mark.parametrize("first", ["weekly_start", "commitment_done"])
def test_the_follow_up_and_the_prompt_on_one_message_can_each_be_answered_whichever_comes_first(
        exercise_harness: SlackHarness, fake_slack: FakeSlackAPI, first: str) -> None:
    h = exercise_harness
    coaching = h.services.coaching
    assert coaching is not None
    week_ago = datetime.now(UTC) - timedelta(days=7)
    made = make_commitment(coaching.db.uow(), PERSON, "Ring the district leads", now=week_ago)
    assert made is not None
    make_due(coaching.db)
    assert run_once(coaching, OneWorkspace(build_client(slack_settings(fake_slack), "xoxb-test"))).sent == [PERSON]
    [(prompt, reply)] = [(a, r) for a, r in fake_slack.exchanges("chat.postMessage") if r.get("ok")]
    assert actions_in(prompt["blocks"]) == ["commitment_done", "commitment_not_yet", "commitment_drop",
                                            "weekly_start", "weekly_skip", "weekly_snooze"]
    second = "commitment_done" if first == "weekly_start" else "weekly_start"
    click(h, prompt, first, reply["ts"])  # as Slack sends it: the message's blocks as they are now
    after_first = h.api.wait_for("chat.update")[0]
    assert actions_in(after_first["blocks"]) == (["commitment_done", "commitment_not_yet", "commitment_drop"]
                                                 if first == "weekly_start" else
                                                 ["weekly_start", "weekly_skip", "weekly_snooze"])
    click(h, after_first, second, reply["ts"])
    after_both = h.api.wait_for("chat.update", count=2)[1]
    shown = json.dumps(after_both["blocks"])
    assert actions_in(after_both["blocks"]) == []
    assert "Well done: kept as done." in shown and "Starting it now" in shown
    assert "Last week you said you would ring the district leads" in shown  # what was asked stays, answered
    with coaching.db.uow() as uow:
        [kept] = uow.commitments.for_user(PERSON)
    assert kept.status == "done" and kept.outcome_at is not None
    assert eventually(lambda: any(m.get("thread_ts") and "Step 1 of 3" in json.dumps(m.get("blocks"))
                                  for m in h.api.called("chat.postMessage")))  # and the exercise started


def test_not_this_time_makes_no_commitment_and_a_past_date_is_refused_on_the_field(
        exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    done = finish_exercise(h)
    ask = next(e for b in done["blocks"] if b.get("block_id") == "commitment_ask" for e in b["elements"]
               if e["action_id"] == "commitment_none")
    click(h, done, "commitment_none", done.get("ts", "1700000000.000001"))
    update = h.api.wait_for("chat.update")[0]
    assert "No commitment this time." in json.dumps(update["blocks"])
    assert "You finished Mapping your influence." in json.dumps(update["blocks"])  # the feedback stays
    refused = h.slack.view_submission(form("Ring Jo", "2020-01-01", "", ask["value"]))
    assert json.loads(refused.body)["errors"][BY_BLOCK].startswith("That date has passed")
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        assert uow.commitments.for_user(PERSON) == []


def test_pause_refuses_a_bad_date_then_pauses_and_resume_brings_prompts_back(exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    h.slack.command("weekly on monday 09:00")
    h.api.wait_for("response_url")
    h.slack.command("pause 2027-02-30")
    refused = h.api.wait_for("response_url", count=2)[1]["text"]
    assert "is not a date: write it as YYYY-MM-DD" in refused and "/coach pause 2027-01-10" in refused
    back = (datetime.now(UTC) + timedelta(days=30)).date()
    h.slack.command(f"pause {back:%Y-%m-%d}")
    paused = h.api.wait_for("response_url", count=3)[2]["text"]
    assert paused.startswith(f"Paused: no weekly prompt before {back:%A %-d %B %Y}.")
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        subscription = uow.weekly.get(PERSON)
    assert subscription is not None and subscription.paused_until == back
    assert subscription.next_due_at is not None and subscription.next_due_at.date() >= back - timedelta(days=1)
    h.slack.command("resume")
    assert h.api.wait_for("response_url", count=4)[3]["text"].startswith("Weekly prompts are back")
    with h.services.coaching.db.uow() as uow:  # type: ignore[union-attr]
        assert uow.weekly.get(PERSON).paused_until is None  # type: ignore[union-attr]


def test_remembers_shows_commitments_and_memory_and_deletes_and_clears_them(exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    coaching = h.services.coaching
    assert coaching is not None
    from bot.coaching.commitments import make_commitment

    made = make_commitment(coaching.db.uow(), PERSON, "Ring the district leads")
    append_turn(coaching.db.uow(), "slack:D1:1", "user", "How do I lead without control?", PERSON, answered=True)
    h.slack.command("remembers")
    view = h.api.wait_for("views.open")[0]["view"]
    shown = json.dumps(view)
    assert "ring the district leads" in shown and "How do I lead without control?" in shown
    click(h, view, "remembers_forget_turns", "", view={**view, "id": "VREM1"})
    cleared = h.api.wait_for("views.update")[0]
    assert cleared["view_id"] == "VREM1" and "0 message(s)" in json.dumps(cleared["view"])
    click(h, view, "remembers_delete", "", view={**view, "id": "VREM1"})
    deleted = h.api.wait_for("views.update", count=2)[1]["view"]
    assert "ring the district leads" not in json.dumps(deleted) and made is not None
    with coaching.db.uow() as uow:
        assert uow.commitments.for_user(PERSON) == [] and uow.turns.of_person(PERSON) == []


def test_a_commitment_is_corrected_from_remembers_and_answered_from_the_home_tab(
        exercise_harness: SlackHarness) -> None:
    h = exercise_harness
    coaching = h.services.coaching
    assert coaching is not None
    from bot.coaching.commitments import make_commitment

    made = make_commitment(coaching.db.uow(), PERSON, "Ring the distrcit leads", with_whom="Jo")
    assert made is not None
    h.slack.command("remembers")
    view = {**h.api.wait_for("views.open")[0]["view"], "id": "VREM2"}
    click(h, view, "remembers_correct", "", view=view)
    pushed = h.api.wait_for("views.push")[0]["view"]
    assert pushed["callback_id"] == "commitment_corrected"
    assert pushed["blocks"][0]["element"]["initial_value"] == "Ring the distrcit leads"
    correction = form("Ring the district leads", None, "", pushed["private_metadata"], view_id="VFIX")
    h.slack.view_submission({**correction, "callback_id": "commitment_corrected", "root_view_id": "VREM2"})
    updated = h.api.wait_for("views.update")[0]
    assert updated["view_id"] == "VREM2" and "ring the district leads" in json.dumps(updated["view"])
    with coaching.db.uow() as uow:
        [fixed] = uow.commitments.for_user(PERSON)
    assert (fixed.what, fixed.with_whom) == ("Ring the district leads", None)

    h.slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    home = h.api.wait_for("views.publish")[-1]["view"]
    assert "You said you would ring the district leads (open)." in json.dumps(home)
    click(h, home, "commitment_drop", "", view={**home, "id": "VHOME"})
    assert eventually(lambda: any("Dropped: ring the district leads" in json.dumps(c["view"])
                                  for c in h.api.called("views.publish")))  # the Home tab shows it settled
    with coaching.db.uow() as uow:
        assert uow.commitments.for_user(PERSON)[0].status == "dropped"
