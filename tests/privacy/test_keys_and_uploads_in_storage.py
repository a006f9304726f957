"""What the database keeps about claims and uploads: nothing that names a person, and every upload found."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import select, text

from bot.coaching.data_rights import erase_user
from bot.coaching.uploads import Removal, erase_with_files, record_upload, uploads_of
from bot.storage import Database
from bot.storage.engine import make_engine
from bot.storage.migrate import alembic_config, upgrade_engine
from bot.storage.orm import ProcessedEventRow

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_claimed_keys_are_stored_as_hashes_that_do_not_name_the_person(db: Database) -> None:
    key = "action:slack:T1:U0SECRET:D0SECRET:1700000000.000001:weekly_skip"
    assert db.claim_event(key) and not db.claim_event(key)
    with db.uow() as uow:
        [stored] = uow.session.scalars(select(ProcessedEventRow.key)).all()
    assert "U0SECRET" not in stored and "D0SECRET" not in stored and len(stored) == 64


def test_migrating_hashes_the_keys_already_claimed_and_records_the_charts_already_published(database_url: str) -> None:
    engine = make_engine(database_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(text("INSERT INTO users (id, created_at, timezone, role) "
                                "VALUES ('slack:T1:U1', :now, 'Europe/London', 'officer')"), {"now": NOW})
        connection.execute(text("INSERT INTO published_charts (user_id, fingerprint, ref, created_at) "
                                "VALUES ('slack:T1:U1', 'f', 'F0CHART', :now)"), {"now": NOW})
        connection.execute(text("INSERT INTO processed_events (key, created_at) VALUES ('action:U1:x', :now)"),
                           {"now": NOW})
    upgrade_engine(engine)
    db = Database(engine)
    assert not db.claim_event("action:U1:x")  # the old claim still holds, under its hash
    with db.uow() as uow:
        assert "U1" not in " ".join(uow.session.scalars(select(ProcessedEventRow.key)))
    assert [(u.ref, u.kind) for u in uploads_of(db.uow(), "slack:T1:U1")] == [("F0CHART", "home-chart")]
    db.close()


def test_an_upload_for_someone_unknown_or_erased_is_not_recorded(db: Database) -> None:
    assert not record_upload(db.uow(), "nobody", "F1", "export", "coach-my-data.json")
    with db.uow() as uow:
        uow.users.ensure("u1", NOW)
        uow.commit()
    assert record_upload(db.uow(), "u1", "F2", "chart", "coach-progress.png", now=NOW)
    erase_user(db.uow(), "u1", b"secret-key-0123456789")
    assert not record_upload(db.uow(), "u1", "F3", "chart", "coach-progress.png")
    assert uploads_of(db.uow(), "u1") == []


def test_erasure_without_a_way_to_reach_slack_reports_the_files_it_could_not_delete(db: Database) -> None:
    with db.uow() as uow:
        uow.users.ensure("u1", NOW)
        uow.commit()
    record_upload(db.uow(), "u1", "F9", "export", "coach-my-data.json", now=NOW)
    report = erase_with_files(db.uow, "u1", b"secret-key-0123456789", None)
    assert [f.ref for f in report.files_left] == ["F9"] and report.files_deleted == []
    assert report.rows["uploaded_files"] == 1 and report.rows["users"] == 1
    gone = erase_with_files(db.uow, "u1", b"secret-key-0123456789", lambda ref: Removal.DELETED)
    assert gone.files_left == [] and sum(gone.rows.values()) == 0
