"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, func, select
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


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows with the same keys. PostgreSQL gets one statement over arrays (`unnest`): row by row
    (executemany) it costs a round trip each, and a multi-row VALUES takes SQLAlchemy longer to compile than the
    database to run. SQLite, in-process, has no round trips: executemany is its fastest form."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(table.insert(), rows)
        return
    names = list(rows[0])
    arrays = [bindparam(f"{name}_values", [row[name] for row in rows], type_=postgresql.ARRAY(table.c[name].type))
              for name in names]
    unnested = func.unnest(*arrays).table_valued(*names).render_derived()
    session.execute(table.insert().from_select(names, select(*(unnested.c[name] for name in names))))
