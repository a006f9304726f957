"""The storage layer on a real database: migrations, pragmas, event claims, conversation turns, outages."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.coaching.model import Turn
from bot.errors import StorageUnavailableError
from bot.storage import Database, connect
from bot.storage.migrate import current_revision, head_revision, upgrade_engine
from bot.storage.orm import Base

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_migrations_create_every_mapped_table_and_a_second_run_changes_nothing(db: Database) -> None:
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
    assert current_revision(db.engine) == head_revision()
    upgrade_engine(db.engine)  # already at head: a no-op, not an error
    assert current_revision(db.engine) == head_revision()


def test_a_process_starting_on_a_new_sqlite_file_waits_for_the_one_already_migrating_it(tmp_path: Path) -> None:
    from filelock import FileLock

    url = f"sqlite:///{tmp_path / 'new.db'}"
    done: list[Database] = []
    with FileLock(f"{tmp_path / 'new.db'}.migrate.lock"):  # as if another worker were migrating
        starting = threading.Thread(target=lambda: done.append(connect(url)))
        starting.start()
        starting.join(0.5)
        assert starting.is_alive() and not done  # waits rather than racing it
    starting.join(30)
    assert done and current_revision(done[0].engine) == head_revision()
    done[0].close()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path: Path) -> None:
    database = connect(f"sqlite:///{tmp_path / 'x.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.close()


def test_an_event_key_is_claimed_once(db: Database) -> None:
    assert db.claim_event("slack:Ev123") is True
    assert db.claim_event("slack:Ev123") is False
    assert db.claim_event("slack:Ev124") is True


def test_recent_turns_returns_the_last_turns_oldest_first(db: Database) -> None:
    with db.uow() as uow:
        uow.users.ensure("u1", NOW)
        for i in range(5):
            uow.turns.append(Turn("c1", "user" if i % 2 == 0 else "assistant", f"turn {i}", NOW + timedelta(seconds=i),
                                  user_id="u1"))
        uow.turns.append(Turn("c2", "user", "elsewhere", NOW))
        uow.commit()
    with db.uow() as uow:
        turns = uow.turns.recent("c1", "u1", limit=3)
    assert [t.content for t in turns] == ["turn 2", "turn 3", "turn 4"]


def test_leaving_a_unit_of_work_without_commit_stores_nothing(db: Database) -> None:
    with db.uow() as uow:
        uow.users.ensure("u1", NOW)
    with db.uow() as uow:
        assert uow.users.get("u1") is None


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("make_url", [
    lambda tmp: f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test",
    lambda tmp: f"sqlite:///{tmp / 'a-file'}/coach.db",  # the "directory" is a file: cannot open
], ids=["postgres-closed-port", "sqlite-unopenable-path"])
def test_an_unreachable_database_raises_a_retryable_storage_error(tmp_path: Path, make_url) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a-file").write_text("not a directory")
    with pytest.raises(StorageUnavailableError) as info:
        connect(make_url(tmp_path))
    assert info.value.retryable and "try again" in str(info.value)


def test_a_database_url_with_an_unknown_scheme_is_a_configuration_error() -> None:
    from bot.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="Unsupported database"):
        connect("mysql://localhost/x")


def test_datetimes_come_back_aware_in_utc(db: Database) -> None:
    with db.uow() as uow:
        uow.users.ensure("u1", NOW)
        uow.commit()
    with db.uow() as uow:
        user = uow.users.get("u1")
        assert user is not None and user.created_at == NOW and user.created_at.tzinfo is not None
        assert uow.session.execute(text("SELECT 1")).scalar() == 1


def test_the_migrations_build_exactly_the_mapped_schema(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], "a model changed without a migration: add one in bot/storage/migrations/versions"
