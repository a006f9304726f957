"""Migration 0006 on a database that holds data: consent becomes the privacy notice, the audit log gains actors."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, text

from bot.storage.engine import make_engine
from bot.storage.migrate import alembic_config, head_revision

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _migrate(engine: Engine, revision: str, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_consent_already_given_is_kept_as_the_notice_given_and_old_audit_rows_have_no_actor(
        database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _migrate(engine, "0004")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO users (id, created_at, consent_at, timezone, role) "
                                    "VALUES ('u1', :t, :t, 'Europe/London', 'officer')"), {"t": T0})
            connection.execute(text("INSERT INTO audit_log (subject, action, created_at) VALUES "
                                    "('u1', 'consent', :t), ('u1', 'export', :t)"), {"t": T0})
            connection.execute(text("INSERT INTO submissions (id, user_id, source, created_at) "
                                    "VALUES (1, 'u1', 'cli', :t)"), {"t": T0})
            connection.execute(text("INSERT INTO ratings (submission_id, user_id, attribute_id, rating, created_at) "
                                    "VALUES (1, 'u1', 'listening', 4, :t)"), {"t": T0})
        _migrate(engine, "head")
        with engine.connect() as connection:
            # Renaming a column of users must not rebuild the table: on SQLite the rebuild's DROP would
            # cascade to every rating.
            assert connection.execute(text("SELECT count(*) FROM ratings WHERE user_id = 'u1'")).scalar() == 1
            shown = connection.execute(text("SELECT notice_shown_at FROM users WHERE id = 'u1'")).scalar()
            rows = connection.execute(text("SELECT actor, action FROM audit_log ORDER BY id")).all()
        assert shown is not None and str(shown).startswith("2025-01-06 09:00")
        assert [tuple(r) for r in rows] == [(None, "notice_shown"), (None, "export")]  # who acted was never known

        _migrate(engine, "0004", down=True)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT consent_at FROM users")).scalar() is not None
            assert connection.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars().all() == [
                "consent", "export"]
        _migrate(engine, "head")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    finally:
        engine.dispose()
