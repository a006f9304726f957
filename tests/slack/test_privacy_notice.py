"""The privacy notice in Slack: given once, on first contact, only to the person (their DM or an ephemeral
message), never where a channel can read it."""

from __future__ import annotations

import json

import pytest

from bot.coaching.accountability import audit_trail
from bot.coaching.privacy_notice import HEADING, notice_shown
from bot.slack.blocks.home import HOME_ASSESS
from tests.slack.conftest import SlackHarness, eventually
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.test_asking import dm


def mention(user: str = "U2", channel: str = "C9", ts: str = "1700004000.000100") -> dict:
    return {"type": "app_mention", "channel": channel, "user": user, "ts": ts,
            "text": "<@UBOT> how do I lead without authority?"}


def calls_with_notice(api: FakeSlackAPI) -> list[tuple[str, dict]]:
    with api._lock:
        return [(c.method, c.args) for c in api.calls if HEADING in json.dumps(c.args)]


def in_channel(api: FakeSlackAPI, channel: str) -> list[tuple[str, dict]]:
    """Everything the app wrote where the whole channel reads it (ephemeral messages excepted)."""
    return [(method, args) for method, args in calls_with_notice(api)
            if (args.get("channel") or args.get("channel_id")) == channel and method != "chat.postEphemeral"]


def test_a_first_question_in_a_dm_gets_the_notice_in_its_thread_once(coached: SlackHarness) -> None:
    coached.slack.event(dm("How do I lead?", ts="1700003000.000100"))
    coached.api.wait_for("chat.stopStream")
    coached.slack.event(dm("And now?", ts="1700003001.000100"))
    coached.api.wait_for("chat.stopStream", count=2)
    [(method, notice)] = calls_with_notice(coached.api)
    assert (method, notice["channel"], notice["thread_ts"]) == ("chat.postMessage", "D1", "1700003000.000100")
    assert "`/coach forget-me`" in notice["text"] and "`/coach privacy`" in notice["text"]


def test_a_first_question_in_a_channel_puts_the_notice_in_a_dm_and_nothing_of_it_in_the_channel(
        coached: SlackHarness) -> None:
    coached.slack.event(mention())
    coached.api.wait_for("chat.stopStream")  # the answer itself is in the channel thread, as asked
    [(method, notice)] = calls_with_notice(coached.api)
    assert (method, notice["channel"], notice.get("thread_ts")) == ("chat.postMessage", "D2", None)
    assert in_channel(coached.api, "C9") == []
    db = coached.services.coaching.db  # type: ignore[union-attr]
    assert notice_shown(db.uow(), "slack:T1:U2")
    [given] = audit_trail(db.uow(), subject="slack:T1:U2")
    assert (given.actor, given.action) == ("slack:T1:U2", "notice_shown")  # Slack: the person is the actor


def test_when_no_dm_can_be_opened_the_notice_is_ephemeral_in_the_thread(coached: SlackHarness) -> None:
    coached.api.fail("conversations.open", "cannot_dm_bot")
    coached.slack.event(mention())
    coached.api.wait_for("chat.stopStream")
    [(method, notice)] = calls_with_notice(coached.api)
    assert method == "chat.postEphemeral"
    assert (notice["channel"], notice["user"], notice["thread_ts"]) == ("C9", "U2", "1700004000.000100")
    assert in_channel(coached.api, "C9") == []


def test_a_notice_slack_would_not_deliver_is_not_recorded_and_is_given_next_time(coached: SlackHarness) -> None:
    coached.api.fail("conversations.open", "cannot_dm_bot")
    coached.api.fail("chat.postEphemeral", "user_not_in_channel")
    coached.slack.event(mention())
    coached.api.wait_for("chat.stopStream")
    db = coached.services.coaching.db  # type: ignore[union-attr]
    assert not notice_shown(db.uow(), "slack:T1:U2") and in_channel(coached.api, "C9") == []
    coached.slack.event(mention(ts="1700004001.000100"))
    coached.api.wait_for("chat.stopStream", count=2)
    assert [c["channel"] for m, c in calls_with_notice(coached.api) if m == "chat.postMessage"] == ["D2"]
    assert notice_shown(db.uow(), "slack:T1:U2")


def test_slash_privacy_shows_the_notice_again_only_to_the_person(coached: SlackHarness) -> None:
    coached.slack.command("privacy", user="U3", channel="C5")
    [shown] = coached.api.wait_for("response_url")  # the command's own reply: only the person who ran it sees it
    assert shown["response_type"] == "ephemeral" and HEADING in shown["text"]
    assert in_channel(coached.api, "C5") == []


@pytest.mark.parametrize("start", ["/coach assess", "/coach weekly on", "Home: rate myself"])
def test_a_first_assessment_or_weekly_prompt_gets_the_notice_by_dm_too(coached: SlackHarness, start: str) -> None:
    if start == "Home: rate myself":
        coached.slack.action(HOME_ASSESS, "", user="U4")
    else:
        coached.slack.command(start.removeprefix("/coach "), user="U4", channel="C1")
    eventually(lambda: calls_with_notice(coached.api))
    [(method, notice)] = calls_with_notice(coached.api)
    assert (method, notice["channel"]) == ("chat.postMessage", "D4")
    assert in_channel(coached.api, "C1") == []
    db = coached.services.coaching.db  # type: ignore[union-attr]
    assert eventually(lambda: notice_shown(db.uow(), "slack:T1:U4"))  # recorded once Slack has taken it
