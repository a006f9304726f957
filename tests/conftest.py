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


@pytest.fixture(scope="session")
def guidance_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled guidance ingested once per test session; returns the data directory holding it."""
    from bot.config import Settings
    from bot.paths import knowledge_dir
    from bot.retrieval.embeddings import build_embedder
    from bot.retrieval.ingest import ingest

    data_dir = tmp_path_factory.mktemp("guidance-data")
    settings = Settings(data_dir=data_dir)
    ingest([knowledge_dir()], settings.index_dir, build_embedder(settings))
    return data_dir


@pytest.fixture(scope="session")
def guidance_retriever(guidance_index: Path):  # type: ignore[no-untyped-def]
    from bot.bootstrap import build_retriever
    from bot.config import Settings

    return build_retriever(Settings(data_dir=guidance_index))


@pytest.fixture(scope="session")
def offline_answerer(guidance_retriever):  # type: ignore[no-untyped-def]
    from bot.answering.offline import OfflineAnswerer

    return OfflineAnswerer(guidance_retriever)


@pytest.fixture(scope="session")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel (non-editable) and unpacked: a directory to put on PYTHONPATH."""
    import subprocess
    import sys
    import zipfile

    out = tmp_path_factory.mktemp("wheel")
    root = Path(__file__).resolve().parents[1]
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(root), "--no-deps", "-q", "-w", str(out)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    [wheel] = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(out / "site")
    return out / "site"


# The fast tier (`make test-fast`): tests that need no database, no embedding model, no subprocess and no
# local server. Everything else is marked `integration` here, by what it asks for, so a new test lands in the
# right tier without anyone remembering to mark it.
_INTEGRATION_FIXTURES = {
    "db", "database", "database_url", "guidance_index", "guidance_retriever", "offline_answerer", "unpacked_wheel",
    "fake_slack", "serve", "harness", "coached", "exercise_harness", "fake_openai", "llm_settings", "make_answerer",
}
_INTEGRATION_DIRS = ("slack", "storage", "cli", "deployment")  # real apps, databases, `coach` processes, servers
# Files that run the `coach` command in a subprocess, or ingest with the embedding model.
_INTEGRATION_FILES = ("cli", "test_ingest")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        path = Path(str(item.fspath))
        folder = path.parent.name
        params = getattr(getattr(item, "callspec", None), "params", {})
        if (fixtures & _INTEGRATION_FIXTURES or folder in _INTEGRATION_DIRS or item.get_closest_marker("slow")
                or any(part in path.stem for part in _INTEGRATION_FILES)
                or any(value in ("sqlite", "postgresql") for value in params.values())):
            item.add_marker(pytest.mark.integration)
