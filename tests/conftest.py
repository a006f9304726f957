"""Every test starts from a clean environment: no real keys, a private data directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_PREFIXES = ("COACH_", "OPENAI_", "SLACK_")
# Kept: where the test database lives is the environment's choice, not the test's.
_KEEP = {"COACH_TEST_DATABASE_URL"}


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith(_PREFIXES) and name not in _KEEP:
            monkeypatch.delenv(name)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data_dir))
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    from bot.config import get_settings

    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()
