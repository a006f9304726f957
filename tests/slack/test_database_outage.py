"""The database going away under the served app: what was acknowledged is not dropped in silence (Slack will not
resend it), the person is told to send it again, and the app carries on by itself when the database is back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.coaching.attributes import attributes
from bot.slack.app import build_app
from bot.slack.durable import redeliver
from bot.slack.wiring import database_services
from bot.storage import Database, connect
from bot.storage.orm import SubmissionRow
from tests.slack.conftest import SlackHarness, eventually, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.fakes import EchoAnswerer
from tests.slack.test_asking import dm
from tests.slack.test_assessment import submitted_view
from tests.storage.databases import PG_URL, make_database_url
from tests.storage.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="COACH_TEST_DATABASE_URL not set")]


@pytest.fixture
def behind_a_cable(tmp_path: Path) -> Iterator[tuple[Database, list[TcpProxy]]]:
    """A PostgreSQL database reached through a proxy the test can cut and reconnect (cable[0])."""
    urls = make_database_url("postgresql", tmp_path)
    parsed = make_url(next(urls))
    cable = [TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432))]
    db = connect(parsed.set(host="127.0.0.1", port=cable[0].port).render_as_string(hide_password=False))
    yield db, cable
    db.close()
    cable[0].stop()
    for _ in urls:  # drops the schema
        pass


def replugged(cable: list[TcpProxy]) -> None:
    cable[0] = TcpProxy(cable[0].target, port=cable[0].port)


def test_a_question_while_the_database_is_away_is_still_answered_and_the_next_one_normally(
        behind_a_cable: tuple[Database, list[TcpProxy]], serve: Callable[..., SlackHarness],
        fake_slack: FakeSlackAPI) -> None:
    db, cable = behind_a_cable
    harness = serve(database_services(db, EchoAnswerer(), slack_settings(fake_slack)))
    cable[0].stop()
    assert harness.slack.event(dm("How do I lead partners?", ts="1700000200.000100")).status == 200
    # The inbox cannot keep it, so it is acknowledged unstored; the answer needs no database (the turn is not
    # remembered), so the person gets it rather than a "try again".
    answered = fake_slack.wait_for("chat.startStream")[0]
    assert (answered["channel"], answered["thread_ts"]) == ("D1", "1700000200.000100")
    assert fake_slack.wait_for("chat.stopStream")
    replugged(cable)
    assert harness.slack.event(dm("How do I lead partners?", ts="1700000300.000100")).status == 200
    assert [c["channel"] for c in fake_slack.wait_for("chat.stopStream", count=2)] == ["D1", "D1"]


def test_a_form_while_the_database_is_away_is_reported_unsaved_and_the_resubmission_stored_once(
        behind_a_cable: tuple[Database, list[TcpProxy]], serve: Callable[..., SlackHarness],
        fake_slack: FakeSlackAPI) -> None:
    db, cable = behind_a_cable
    harness = serve(database_services(db, EchoAnswerer(), slack_settings(fake_slack)))
    first = attributes().ids[0]
    cable[0].stop()
    assert harness.slack.view_submission(submitted_view({first: 4}, view_id="VOUT1"), user="U1").status == 200
    told = fake_slack.wait_for("chat.postMessage")[0]
    assert "was not saved" in told["text"] and "again" in told["text"] and "postgresql" not in told["text"]
    replugged(cable)
    for _ in range(2):  # filled in again, and Slack's copy of that submission as well
        assert harness.slack.view_submission(submitted_view({first: 4}, view_id="VOUT2"), user="U1").status == 200
    fake_slack.wait_for("chat.postMessage", count=2)
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(SubmissionRow)).scalar_one() == 1


def test_a_question_and_its_retry_acknowledged_during_a_short_outage_are_answered_once_when_it_is_back(
        behind_a_cable: tuple[Database, list[TcpProxy]], serve: Callable[..., SlackHarness],
        fake_slack: FakeSlackAPI) -> None:
    db, cable = behind_a_cable
    harness = serve(database_services(db, EchoAnswerer(), slack_settings(fake_slack)))
    first = attributes().ids[0]
    cable[0].stop()
    question = dm("How do I lead partners?", ts="1700000400.000100")
    # Both copies are acknowledged unstored; so is a form. Each one's work waits for the database to keep it.
    assert harness.slack.event(question, event_id="EvOUTAGE").status == 200
    assert harness.slack.event(question, event_id="EvOUTAGE", retry_num=1).status == 200
    assert harness.slack.view_submission(submitted_view({first: 3}, view_id="VOUT3"), user="U1").status == 200
    time.sleep(2)
    replugged(cable)  # a restart's worth of outage: the copies are then kept, and the second dropped

    fake_slack.wait_for("chat.stopStream")
    assert eventually(lambda: [c for c in fake_slack.called("chat.postMessage") if "saved" in c["text"].lower()])
    time.sleep(3)  # room for a second answer, which must not come
    assert len(fake_slack.called("chat.startStream")) == 1
    assert not [c for c in fake_slack.called("chat.postMessage") if "not saved" in c["text"]]
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(SubmissionRow)).scalar_one() == 1


def test_a_form_kept_before_the_outage_whose_saving_meets_it_is_saved_once_the_database_is_back(
        behind_a_cable: tuple[Database, list[TcpProxy]], serve: Callable[..., SlackHarness],
        fake_slack: FakeSlackAPI) -> None:
    db, cable = behind_a_cable
    settings = slack_settings(fake_slack, inbox_lease_seconds=1)
    services = database_services(db, EchoAnswerer(), settings)
    harness = serve(services, inbox_lease_seconds=1)
    first = attributes().ids[0]
    fake_slack.hold("users.info")  # the work stops before it stores, after the delivery was kept
    assert harness.slack.view_submission(submitted_view({first: 5}, view_id="VOUT4"), user="U1").status == 200
    fake_slack.wait_until_held("users.info")
    cable[0].stop()
    fake_slack.release()
    time.sleep(2)  # the work meets the outage
    assert not [c for c in fake_slack.called("chat.postMessage") if "not saved" in c["text"]]
    replugged(cable)
    rerun = redeliver(build_app(services, settings, transport="http"))  # any worker's upkeep, after the lease

    def stored() -> int:
        services.inbox.tick(rerun)
        with db.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(SubmissionRow)).scalar_one()

    assert eventually(lambda: stored() == 1)
    assert eventually(lambda: [c for c in fake_slack.called("chat.postMessage") if "saved" in c["text"].lower()])
    assert not [c for c in fake_slack.called("chat.postMessage") if "not saved" in c["text"]]
