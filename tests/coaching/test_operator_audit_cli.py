"""The `coach` command is run by an operator acting on the person named by --user: its audit entries say so."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

from bot.coaching.accountability import audit_trail
from bot.storage import connect
from tests.coaching.test_cli import REPO

# The OS account the tests run as: the operator the audit log must name, whatever $USER claims.
OPERATOR = f"operator:{pwd.getpwuid(os.getuid()).pw_name}"


def coach(*args: str, url: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COACH_DATABASE_URL": url, "COLUMNS": "200",
                   "USER": "impostor", "LOGNAME": "impostor", **env}
    environment.pop("SUDO_USER", None)
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=environment,
                          timeout=120, cwd=REPO)


def test_cli_actions_are_audited_as_the_operator_acting_on_the_person(database_url: str, tmp_path: Path) -> None:
    def run(*args: str) -> str:
        result = coach(*args, url=database_url, data_dir=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    run("people", "set", "boss", "--role", "programme_manager")
    for step in [("assess", "--user", "u1", "--rating", "listening=3", "--yes"), ("history", "--user", "u1"),
                 ("weekly", "on", "--user", "u1"), ("weekly", "status", "--user", "u1")]:
        run(*step)
    exported = json.loads(run("my-data", "export", "--user", "u1"))
    assert [(r["actor"], r["action"]) for r in exported["tables"]["audit_log"]] == [(OPERATOR, action) for action in (
        "notice_shown", "assessment_submitted", "history_viewed", "weekly_on", "weekly_status_viewed")]
    exported_again = json.loads(run("my-data", "export", "--user", "u1"))  # the first export, audited after it
    assert exported_again["tables"]["audit_log"][-1]["action"] == "export"
    run("trends", "--user", "boss")
    run("people", "set", "boss", "--role", "officer")
    run("my-data", "erase", "--user", "u1", "--yes")

    db = connect(database_url)
    try:
        entries = audit_trail(db.uow())
    finally:
        db.close()
    assert {e.actor for e in entries} == {OPERATOR}  # never the person named by --user, never $USER
    assert [(e.subject, e.action) for e in entries if not e.subject.startswith("pseudonym:")] == [
        ("boss", "role_changed"), ("boss", "trends_viewed"), ("boss", "role_changed")]  # u1's went with erasure
    roles = [json.loads(e.detail or "{}") for e in entries if e.action == "role_changed"]
    assert roles == [{"old": None, "new": "programme_manager"}, {"old": "programme_manager", "new": "officer"}]
    [erasure] = [e for e in entries if e.action == "erasure"]
    assert erasure.subject.startswith("pseudonym:") and erasure.actor == OPERATOR


def test_reading_someone_the_coach_does_not_know_leaves_no_trace_of_them(database_url: str, tmp_path: Path) -> None:
    assert coach("history", "--user", "stranger", url=database_url, data_dir=tmp_path).returncode == 0
    db = connect(database_url)
    try:
        assert audit_trail(db.uow()) == []
        with db.uow() as uow:
            assert uow.users.get("stranger") is None
    finally:
        db.close()


def test_my_data_notice_prints_the_notice_and_tells_the_operator_what_it_still_lacks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    bare = coach("my-data", "notice", url=url, data_dir=tmp_path)
    assert bare.returncode == 0 and "Privacy notice" in bare.stdout and "coach my-data export" in bare.stdout
    assert "Not set: COACH_CONTROLLER_NAME" in bare.stderr
    named = coach("my-data", "notice", url=url, data_dir=tmp_path, COACH_CONTROLLER_NAME="Kent County Council",
                  COACH_CONTROLLER_CONTACT="data@kent.gov.uk", COACH_DPO_CONTACT="dpo@kent.gov.uk")
    assert "(the controller): Kent County Council" in named.stdout and named.stderr == ""


def test_notice_given_records_who_gave_it(database_url: str, tmp_path: Path) -> None:
    given = coach("my-data", "notice-given", "--user", "u1", url=database_url, data_dir=tmp_path)
    assert given.returncode == 0 and "Privacy notice recorded as given" in given.stdout
    first_use = coach("assess", "--user", "u1", "--rating", "listening=3", url=database_url, data_dir=tmp_path)
    assert first_use.returncode == 0 and "Privacy notice" not in first_use.stderr  # not shown twice
    db = connect(database_url)
    try:
        [notice, _] = audit_trail(db.uow(), subject="u1")
    finally:
        db.close()
    assert (notice.actor, notice.action) == (OPERATOR, "notice_shown")
