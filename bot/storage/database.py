"""Open the database for a settings object: engine, migrations to head, unit-of-work factory."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.storage.engine import is_unavailable, make_engine, unavailable
from bot.storage.migrate import upgrade_engine
from bot.storage.uow import SqlUnitOfWork


class Database:
    """One engine per process; hand `db.uow` (a factory) or `db.uow()` (one unit of work) to the services."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions)

    def claim_event(self, key: str) -> bool:
        """True the first time a (Slack) event key is seen by any process on this database, else False."""
        with self.uow() as uow:
            claimed = uow.events.claim(key, datetime.now(UTC))
            uow.commit()
            return claimed

    def ping(self) -> None:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            if is_unavailable(exc):
                raise unavailable(exc, str(self.engine.url)) from exc
            raise

    def close(self) -> None:
        self.engine.dispose()


def connect(url: str, *, migrate: bool = True) -> Database:
    """A Database for `url`, migrated to the latest schema unless `migrate` is False."""
    engine = make_engine(url)
    if migrate:
        upgrade_engine(engine)
    return Database(engine)


def open_database(settings: Settings) -> Database:
    """The application's database, from COACH_DATABASE_URL or SQLite in the data directory."""
    return connect(settings.effective_database_url)
