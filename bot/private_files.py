"""Files and folders only their owner can read: the data directory (0700), the database and index (0600).

Self-assessments are personal data; a world-readable SQLite file would let any local account read them.
Modes are set as things are created, not left to the process umask.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) readable by its owner only; an existing folder is left as it is."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        os.chmod(path, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 if missing (before anything writes to it); tighten it if it exists."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    except FileExistsError:
        restrict(path)
    return path


def restrict(path: Path) -> None:
    """Take group and world access away from `path`, and from everything under it if it is a folder."""
    paths = [path] if not path.is_dir() else [path, *path.rglob("*")]
    for each in paths:
        with contextlib.suppress(OSError):  # not ours, or gone meanwhile: best effort
            mode = each.stat().st_mode & 0o777
            if mode & 0o077:
                each.chmod(mode & 0o700)
