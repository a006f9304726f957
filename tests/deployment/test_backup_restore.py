"""Backup and restore as the README tells an operator: back up, lose the database, restore, the data is back.
SQLite through `coach db backup|restore` (SQLite's online backup API); PostgreSQL through pg_dump and pg_restore."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.storage.databases import BACKENDS, make_database_url

REPO = Path(__file__).resolve().parents[2]


def coach(*args: str, url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "SLACK_", "OPENAI_"))}
    env.update(COACH_DATA_DIR=str(data_dir), COACH_DATABASE_URL=url, COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env,
                          timeout=180, cwd=REPO)


def store_and_check(url: str, data_dir: Path) -> None:
    stored = coach("assess", "--user", "u1", "--rating", "listening=2", "--rating", "letting-go=5", "--yes",
                   url=url, data_dir=data_dir)
    assert stored.returncode == 0, stored.stderr
    assert "Letting go (5/5)" in coach("history", "--user", "u1", url=url, data_dir=data_dir).stdout


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backup_brings_the_data_back_after_the_database_is_lost(backend: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    for url in make_database_url(backend, tmp_path):
        store_and_check(url, data_dir)
        if backend == "sqlite":
            backup = tmp_path / "coach-backup.db"
            assert coach("db", "backup", str(backup), url=url, data_dir=data_dir).returncode == 0
            Path(make_url(url).database or "").unlink()  # the database is lost
            assert "no self-assessments" in coach("history", "--user", "u1", url=url, data_dir=data_dir).stdout.lower()
            restored = coach("db", "restore", str(backup), url=url, data_dir=data_dir)
            assert restored.returncode == 0, restored.stderr
        else:
            if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
                pytest.skip("pg_dump and pg_restore are not installed")
            libpq = make_url(url).set(drivername="postgresql")
            schema = str(libpq.query["options"]).split("=")[-1]
            server = libpq.set(query={}).render_as_string(hide_password=False)
            dump = tmp_path / "coach.dump"
            subprocess.run(["pg_dump", "--format=custom", f"--schema={schema}", f"--file={dump}", server],
                           check=True, timeout=120)
            admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1),
                                  isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:  # the database is lost
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
            subprocess.run(["pg_restore", "--no-owner", "--clean", "--if-exists", f"--dbname={server}", str(dump)],
                           check=True, timeout=120)
        history = coach("history", "--user", "u1", url=url, data_dir=data_dir)
        assert "Letting go (5/5)" in history.stdout, history.stdout + history.stderr


def test_backup_refuses_to_overwrite_and_names_pg_dump_for_postgresql(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store_and_check(url, tmp_path / "data")
    existing = tmp_path / "exists.db"
    existing.write_text("keep me")
    assert coach("db", "backup", str(existing), url=url, data_dir=tmp_path / "data").returncode == 2
    assert existing.read_text() == "keep me"
    pg = coach("db", "backup", str(tmp_path / "x.db"), url="postgresql+psycopg://u@127.0.0.1:1/db",
               data_dir=tmp_path / "data")
    assert pg.returncode == 2 and "pg_dump" in pg.stderr
