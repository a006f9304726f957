"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflict(
    session: Session, table: Table, values: dict[str, Any], conflict: list[str], returning: str
) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING `returning`: the value, or None when the row already existed.

    One statement on both backends, so two writers racing for the same key never see an IntegrityError:
    the loser simply inserts nothing.
    """
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict)
    # RETURNING rather than rowcount: psycopg reports -1 for some inserts, RETURNING is exact everywhere.
    return session.execute(statement.returning(table.c[returning])).scalar_one_or_none()


def upsert(session: Session, table: Table, values: dict[str, Any], conflict: list[str]) -> None:
    """INSERT ... ON CONFLICT (`conflict`) DO UPDATE the other columns: one statement, race-free on both backends."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(table).values(**values)
    changes = {name: statement.excluded[name] for name in values if name not in conflict}
    session.execute(statement.on_conflict_do_update(index_elements=conflict, set_=changes))
