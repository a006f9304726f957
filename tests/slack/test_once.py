"""What a kept delivery sends, it sends once across the runs of its work (bot/slack/once.py), on the database
every worker shares."""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.slack.durable import KEPT, RERUN
from bot.slack.once import Once
from bot.storage import Database


def test_a_rerun_skips_the_sends_its_first_run_made_and_makes_the_rest_once(database: Database) -> None:
    sent: list[str] = []
    first = Once(database, BoltContext({KEPT: "delivery-1"}))
    assert first("reply:0", lambda: sent.append("first reply"))  # ...and the worker dies before the next send

    rerun = Once(database, BoltContext({KEPT: "delivery-1", RERUN: True}))
    assert not rerun("reply:0", lambda: sent.append("first reply again"))
    assert rerun("reply:1", lambda: sent.append("second reply"))
    third = Once(database, BoltContext({KEPT: "delivery-1", RERUN: True}))  # e.g. the rerun failed after it
    assert not third("reply:1", lambda: sent.append("second reply again"))

    assert sent == ["first reply", "second reply"]


def test_steps_are_counted_per_delivery_and_work_not_kept_always_sends(database: Database) -> None:
    sent: list[str] = []
    Once(database, BoltContext({KEPT: "delivery-1"}))("reply:0", lambda: sent.append("one"))
    Once(database, BoltContext({KEPT: "delivery-2", RERUN: True}))("reply:0", lambda: sent.append("two"))
    unkept = Once(database, BoltContext({}))
    unkept("reply:0", lambda: sent.append("three"))
    unkept("reply:0", lambda: sent.append("four"))
    assert sent == ["one", "two", "three", "four"]
