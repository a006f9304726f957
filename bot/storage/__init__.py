"""Persistence: SQLAlchemy mappings, Alembic migrations (shipped in the package), repositories, unit of work.

Nothing outside this package imports SQLAlchemy. Start with `open_database(settings)` (migrates to head) and
pass `db.uow()` to the services in bot.coaching.
"""

from bot.storage.database import Database, connect, open_database
from bot.storage.migrate import upgrade
from bot.storage.uow import SqlUnitOfWork

__all__ = ["Database", "SqlUnitOfWork", "connect", "open_database", "upgrade"]
