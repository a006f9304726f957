"""SQLite backups with SQLite's own online backup API: a consistent copy even while workers write (WAL).
PostgreSQL is backed up with its own tools, pg_dump and pg_restore (README, "Backup and restore")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.errors import InvalidInputError
from bot.private_files import private_file


def backup_sqlite(database: Path, to: Path) -> None:
    if to.exists():
        raise InvalidInputError(f"{to} already exists: give a new file name for the backup.", field="to")
    if not database.exists():
        raise InvalidInputError(f"There is no database at {database} to back up.", field="database")
    private_file(to)  # personal data: owner only, before anything is written into it
    _copy(database, to)


def restore_sqlite(source: Path, database: Path) -> None:
    if not source.is_file():
        raise InvalidInputError(f"{source} is not a backup file.", field="source")
    with sqlite3.connect(source) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise InvalidInputError(f"{source} is damaged (SQLite's integrity check failed); nothing was changed.",
                                    field="source")
    private_file(database)
    _copy(source, database)


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
