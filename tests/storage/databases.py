"""Database fixtures: every storage and service test runs on SQLite, and on PostgreSQL when
COACH_TEST_DATABASE_URL is set. Each PostgreSQL test gets its own schema, dropped afterwards, because other
people's test runs share that server."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from bot.storage import Database, connect

PG_URL = os.environ.get("COACH_TEST_DATABASE_URL")
BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=[
        pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="COACH_TEST_DATABASE_URL not set")]),
]


def pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def make_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'coach-test.db'}"
        return
    assert PG_URL
    schema = f"coach_t_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(PG_URL, schema)
    finally:
        _drop_schema(admin, schema)
        admin.dispose()


def _drop_schema(admin: Engine, schema: str, attempts: int = 5) -> None:
    """Drop the test's schema. Work the app under test started may still be finishing in another thread, and
    PostgreSQL can then pick the DROP as the victim of a deadlock: try again once that work has ended."""
    for attempt in range(attempts):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from make_database_url(request.param, tmp_path)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = connect(database_url)
    yield database
    database.close()
