"""Apply the Alembic migrations that ship inside the package (so a wheel carries them)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import Engine, text

from bot.errors import StorageUnavailableError
from bot.storage.engine import is_unavailable, make_engine, unavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_ID = 0x636F616368  # "coach": one migrator at a time across processes
MIGRATE_LOCK_TIMEOUT = 120.0  # seconds a process waits for another's migration before giving up


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def sqlite_migration_lock(engine: Engine) -> AbstractContextManager[object]:
    """For a SQLite file, an OS lock beside it: workers starting together on a new file otherwise race to
    switch it to WAL and create the schema, and the loser can get "database is locked" without waiting.
    PostgreSQL serialises migrators with an advisory lock instead (below)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return nullcontext()
    return FileLock(f"{database}.migrate.lock", timeout=MIGRATE_LOCK_TIMEOUT, mode=0o600)  # empty, but private


def upgrade_engine(engine: Engine) -> None:
    """Bring the schema to head. Cheap when already there; safe when several processes start at once."""
    try:
        with sqlite_migration_lock(engine):
            if current_revision(engine) == head_revision():
                return
            config = alembic_config()
            with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
    except Exception as exc:
        if is_unavailable(exc) or isinstance(exc, TimeoutError):  # filelock.Timeout is a TimeoutError
            raise unavailable(exc, str(engine.url)) from exc
        if isinstance(exc, OSError):  # the lock beside the file cannot be made: a read-only or full directory
            raise StorageUnavailableError(
                f"Cannot write the lock file {exc.filename or 'beside the database'} ({exc.strerror or exc}). "
                "Nothing was stored; the data directory must be writable (check COACH_DATA_DIR and its "
                "permissions), or set COACH_DATABASE_URL to a database elsewhere.") from exc
        raise


def upgrade(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade_engine(engine)
    finally:
        engine.dispose()
