"""The answerer's one memory, end to end in Slack: what a person typed, tied to them, in their thread only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.answering.memory import DatabaseTurnStore
from bot.bootstrap import build_answerer
from bot.coaching.data_rights import erase_user, export_user_data
from bot.slack.wiring import database_services
from bot.storage import Database
from bot.storage.orm import TurnRow
from tests.slack.conftest import SlackHarness, eventually, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.test_asking import dm

PERSON = "slack:T1:U1"


@pytest.fixture
def served(database: Database, serve: Callable[..., SlackHarness], fake_slack: FakeSlackAPI,
           guidance_retriever) -> SlackHarness:  # type: ignore[no-untyped-def]
    """The served answerer (offline) with its memory in the database."""
    settings = slack_settings(fake_slack)
    answerer = build_answerer(settings, guidance_retriever, turns=DatabaseTurnStore(database), chat_model=None)
    return serve(database_services(database, answerer, settings, guidance_retriever))


def turns(database: Database) -> list[tuple[str, str | None, str, str]]:
    with database.uow() as uow:
        rows = uow.session.query(TurnRow).order_by(TurnRow.id).all()
        return [(r.conversation_id, r.user_id, r.role, r.content) for r in rows]


def test_a_dm_follow_up_is_stored_as_typed_with_the_person_on_every_turn(served: SlackHarness,
                                                                         database: Database) -> None:
    served.slack.event(dm("How do I build trust?", ts="1700000700.000100"))
    served.api.wait_for("chat.stopStream")
    served.slack.event(dm("And with the NHS?", ts="1700000701.000100", thread_ts="1700000700.000100"))
    served.api.wait_for("chat.stopStream", count=2)
    stored = eventually(lambda: len(turns(database)) == 4) and turns(database)
    assert stored, turns(database)
    assert [(c, u, r) for c, u, r, _ in stored] == [("slack:D1:1700000700.000100", PERSON, role)
                                                    for role in ("user", "assistant") * 2]
    assert [text for _, _, role, text in stored if role == "user"] == ["How do I build trust?", "And with the NHS?"]
    assert len(export_user_data(database.uow(), PERSON)["tables"]["conversation_turns"]) == 4
    erase_user(database.uow(), PERSON, b"k" * 32)
    assert turns(database) == []


def test_channel_chatter_is_not_kept_and_a_mention_keeps_only_its_own_thread(served: SlackHarness,
                                                                           database: Database) -> None:
    served.slack.event({"type": "message", "channel": "C9", "channel_type": "channel", "user": "U3",
                        "ts": "1700000100.000100", "text": "Our budget is in trouble, keep it quiet"})
    served.slack.event({"type": "app_mention", "channel": "C9", "user": "U1", "ts": "1700000200.000100",
                        "text": "<@UBOT> what makes a partnership add value?"})
    served.api.wait_for("chat.stopStream")
    stored = eventually(lambda: len(turns(database)) == 2) and turns(database)
    assert stored, turns(database)
    assert {(c, u) for c, u, _, _ in stored} == {("slack:C9:1700000200.000100", PERSON)}
    assert "budget" not in str(stored)
