"""Apply the Alembic migrations that ship inside the package (so a wheel carries them)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from bot.storage.engine import is_unavailable, make_engine, unavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_ID = 0x636F616368  # "coach": one migrator at a time across processes


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_engine(engine: Engine) -> None:
    """Bring the schema to head. Cheap when already there; safe when several processes start at once."""
    try:
        if current_revision(engine) == head_revision():
            return
        config = alembic_config()
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as exc:
        if is_unavailable(exc):
            raise unavailable(exc, str(engine.url)) from exc
        raise


def upgrade(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade_engine(engine)
    finally:
        engine.dispose()
