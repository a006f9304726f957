"""The migrations travel inside the wheel, so an installed coach can create and upgrade its database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_a_wheel_carries_the_migrations_and_upgrades_a_new_database(tmp_path: Path, unpacked_wheel: Path) -> None:
    site = unpacked_wheel
    probe = ("import bot.storage as s, bot.storage.migrate as m; "
             f"db = s.connect('sqlite:///{tmp_path / 'new.db'}'); "
             "print(s.__file__); print(m.current_revision(db.engine) == m.head_revision() is not None)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(site)}, timeout=120)
    assert run.returncode == 0, run.stderr
    location, at_head = run.stdout.split()
    assert location.startswith(str(site)) and at_head == "True"
