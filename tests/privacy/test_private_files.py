"""Personal data on disk is readable by its owner only, and the pseudonym key can live away from it."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.coaching.data_rights import pseudonym, pseudonym_secret
from bot.config import Settings
from bot.errors import ConfigurationError
from bot.storage import open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_directory_is_0700_and_the_database_files_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "fresh" / "data")
    db = open_database(settings)
    submit_assessment(db.uow(), "u1", {attributes().ids[0]: 3}, notes="only mine")  # writes the -wal file
    try:
        assert mode(settings.data_dir) == 0o700
        files = sorted(settings.data_dir.glob("coach.db*"))
        assert [f.name for f in files] == ["coach.db", "coach.db-shm", "coach.db-wal", "coach.db.migrate.lock"]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        db.close()


def test_an_existing_world_readable_database_file_is_tightened_when_opened(tmp_path: Path) -> None:
    open_database(Settings(data_dir=tmp_path)).close()
    (tmp_path / "coach.db").chmod(0o644)
    open_database(Settings(data_dir=tmp_path)).close()
    assert mode(tmp_path / "coach.db") == 0o600


def test_the_index_files_are_readable_by_their_owner_only(guidance_index: Path) -> None:
    index = guidance_index / "index"
    readable_by_others = [p for p in [index, *index.rglob("*")] if mode(p) & 0o077]
    assert readable_by_others == []


def test_the_default_pseudonym_key_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = pseudonym_secret(settings)
    assert pseudonym_secret(settings) == first and len(first) == 64
    assert mode(tmp_path / "data" / "pseudonym.key") == 0o600


def test_people_who_need_the_new_key_at_the_same_moment_all_get_the_same_one(tmp_path: Path) -> None:
    # An erasure and an audit lookup can both be first to need the key: a half-written key read by one of them
    # would give the same person two pseudonyms, and the erasure entry could not be found again.
    for attempt in range(20):
        settings = Settings(data_dir=tmp_path / f"data{attempt}")
        start = threading.Barrier(8)

        def first_use(_: int, start: threading.Barrier = start, settings: Settings = settings) -> bytes:
            start.wait()
            return pseudonym_secret(settings)

        with ThreadPoolExecutor(8) as pool:
            keys = set(pool.map(first_use, range(8)))
        assert len(keys) == 1 and len(keys.pop()) == 64
        assert [p.name for p in settings.data_dir.iterdir()] == ["pseudonym.key"]


def test_the_pseudonym_key_comes_from_the_secret_setting_and_nothing_is_written_beside_the_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_PSEUDONYM_SECRET", "s3cret-from-the-vault-0123456789")
    settings = Settings(data_dir=tmp_path / "data")
    assert pseudonym_secret(settings) == b"s3cret-from-the-vault-0123456789"
    assert not (tmp_path / "data" / "pseudonym.key").exists()
    assert pseudonym("u1", pseudonym_secret(settings)) != pseudonym("u1", b"another-key-0123456789")


def test_the_pseudonym_key_can_come_from_a_file_outside_the_data_directory(tmp_path: Path) -> None:
    key = tmp_path / "secrets" / "pseudonym"
    key.parent.mkdir()
    key.write_text("from-a-mounted-secret-0123456789\n")
    settings = Settings(data_dir=tmp_path / "data", pseudonym_secret_file=key)
    assert pseudonym_secret(settings) == b"from-a-mounted-secret-0123456789"
    assert not (tmp_path / "data" / "pseudonym.key").exists()


@pytest.mark.parametrize(("setting", "message"), [
    ({"pseudonym_secret": "short"}, "COACH_PSEUDONYM_SECRET is too short"),
    ({"pseudonym_secret_file": "data/key"}, "is inside the data directory"),
    ({"pseudonym_secret_file": "missing/key"}, "cannot be read"),
])
def test_an_unusable_pseudonym_key_setting_is_a_configuration_error(tmp_path: Path, setting: dict[str, str],
                                                                     message: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "key").write_text("long-enough-but-in-the-wrong-place")
    values = {k: (str(tmp_path / v) if k.endswith("_file") else v) for k, v in setting.items()}
    with pytest.raises(ConfigurationError, match=message):
        pseudonym_secret(Settings(data_dir=tmp_path / "data", **values))  # type: ignore[arg-type]
