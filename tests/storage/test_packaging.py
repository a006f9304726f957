"""The migrations travel inside the wheel, so an installed coach can create and upgrade its database."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_wheel_carries_the_migrations_and_upgrades_a_new_database(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    probe = ("import bot.storage as s, bot.storage.migrate as m; "
             f"db = s.connect('sqlite:///{tmp_path / 'new.db'}'); "
             "print(s.__file__); print(m.current_revision(db.engine) == m.head_revision() is not None)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(site)}, timeout=120)
    assert run.returncode == 0, run.stderr
    location, at_head = run.stdout.split()
    assert location.startswith(str(site)) and at_head == "True"
