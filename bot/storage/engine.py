"""Engines for SQLite (WAL, foreign keys, one writer at a time) and PostgreSQL, and error translation."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.errors import ConfigurationError, StorageUnavailableError
from bot.private_files import private_dir, private_file

log = logging.getLogger(__name__)
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite files get their directory created; unknown schemes are rejected.

    Engines hide statement parameters: they are what people wrote, and must not reach error messages or logs.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigurationError(f"COACH_DATABASE_URL is not a database URL: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if backend == "postgresql":
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}
        connect_args = {"connect_timeout": 5} if "connect_timeout" not in parsed.query else {}
        return create_engine(url, connect_args=connect_args, hide_parameters=True, **kwargs)
    raise ConfigurationError(
        f"Unsupported database '{backend}'. Use sqlite:///path/coach.db or postgresql+psycopg://user@host/db."
    )


def _sqlite_engine(url: str, database: str | None) -> Engine:
    from pathlib import Path

    if database and database != ":memory:":
        try:
            # Personal data: the folder 0700 and the file 0600 from the start (SQLite gives its -wal and -shm
            # files the database file's mode).
            private_dir(Path(database).parent)
            private_file(Path(database))
        except OSError as exc:
            raise StorageUnavailableError(
                f"Cannot create the database {database} or its directory ({exc.strerror}). Nothing was stored; "
                "set COACH_DATA_DIR or COACH_DATABASE_URL to a writable place and try again."
            ) from exc
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so `begin` below decides how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted rows (erasure) are overwritten, not left in free pages
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL keeps this crash-safe; a power cut may lose the last txn
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads then writes can fail
        # with SQLITE_BUSY without waiting, which would turn concurrency into errors.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database and empty it, so that rows just deleted (and
    overwritten, see secure_delete) leave no copy in the -wal file. Nothing to do on other databases."""
    if engine.dialect.name != "sqlite":
        return
    # On the driver's connection: a checkpoint cannot run inside the transaction SQLAlchemy would begin.
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        cursor.close()
        if busy:  # a reader still needs the log: SQLite checkpoints it later on its own
            log.warning("SQLite write-ahead log not emptied after an erasure (a reader is active)")
    except DBAPIError as exc:  # never fail an erasure that has been committed
        log.warning("SQLite checkpoint after an erasure failed: %s", exc)
    finally:
        connection.close()


def is_unavailable(exc: BaseException) -> bool:
    """True for errors meaning 'the database cannot be reached or is busy', as opposed to bad data."""
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def unavailable(exc: BaseException, url: str | None = None) -> StorageUnavailableError:
    from bot.observability.metrics import DATABASE_ERRORS

    DATABASE_ERRORS.inc()
    where = ""
    if url:
        try:
            where = f" at {make_url(url).render_as_string(hide_password=True)}"
        except Exception:
            where = ""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    return StorageUnavailableError(
        f"The database{where} is unavailable ({detail}). Nothing was stored; try again in a moment, "
        "and check COACH_DATABASE_URL and that the database server is running."
    )
