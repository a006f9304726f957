"""In the terminal, end to end: an exercise ends with a commitment; the next weekly prompt opens with it; it is
marked done, listed, shown in the history, corrected in `my-data remembers`, exported and erased. Prompts
paused for leave. On SQLite, and on PostgreSQL when COACH_TEST_DATABASE_URL is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.coaching.exercises import exercise_library
from tests.storage.databases import BACKENDS, make_database_url

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def run(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    for url in make_database_url(request.param, tmp_path):
        def coach(*args: str, stdin: str = "", url: str = url) -> subprocess.CompletedProcess[str]:
            env = {**os.environ, "COACH_DATA_DIR": str(tmp_path), "COACH_DATABASE_URL": url, "COLUMNS": "250"}
            return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env,
                                  input=stdin, timeout=180, cwd=REPO)
        yield coach


def test_a_commitment_made_in_the_terminal_is_followed_up_marked_done_exported_and_erased(run) -> None:  # type: ignore[no-untyped-def]
    exercise = next(iter(exercise_library()))
    answers = ["3" if step.kind == "rating" else "we met the district councils twice" for step in exercise.steps]
    today = datetime.now(UTC).date()
    due = today + timedelta(days=10)
    assert run("weekly", "on", "--user", "u1", "--yes").returncode == 0
    commitment = ["Call the PCT chief executive", f"{due:%Y-%m-%d}", "the director of public health"]
    piped = [*answers, "n", *commitment]  # n: no self-rating now, then the commitment step
    reflected = run("reflect", exercise.id, "--user", "u1", stdin="\n".join(piped) + "\n")
    assert reflected.returncode == 0, reflected.stderr
    assert ("Noted: you will call the PCT chief executive, with the director of public health, by "
            f"{due:%a %-d %b %Y}.") in reflected.stdout

    next_week = (datetime.now(UTC) + timedelta(days=8)).isoformat()
    due_run = run("weekly", "run-due", "--now", next_week)
    assert "Last week you said you would call the PCT chief executive" in due_run.stdout
    assert "How did it go?" in due_run.stdout and "1 sent" in due_run.stdout
    assert "0 sent" in run("weekly", "run-due", "--now", next_week).stdout  # still once a week

    answered = run("commitments", "--user", "u1", "--follow-up", stdin="done\n")
    assert answered.returncode == 0 and "Kept: done." in answered.stdout
    listed = run("commitments", "--user", "u1").stdout
    assert "Call the PCT chief executive" in listed and f"done ({today:%Y-%m-%d})" in listed
    assert "Your commitments" in run("history", "--user", "u1").stdout

    corrected = run("my-data", "remembers", "--user", "u1", "--correct", "1", "--with", "the PCT board")
    assert corrected.returncode == 0 and "the PCT board" in corrected.stdout
    [stored] = json.loads(run("my-data", "export", "--user", "u1").stdout)["tables"]["commitments"]
    assert (stored["what"], stored["with_whom"], stored["status"]) == (
        "Call the PCT chief executive", "the PCT board", "done")

    erased = run("my-data", "erase", "--user", "u1", "--yes")
    assert erased.returncode == 0 and "commitments 1" in erased.stdout
    assert json.loads(run("my-data", "export", "--user", "u1").stdout)["tables"]["commitments"] == []


def test_a_blank_answer_makes_no_commitment_and_a_bad_date_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    exercise = next(iter(exercise_library()))
    answers = ["3" if step.kind == "rating" else "we met the district councils twice" for step in exercise.steps]
    none = run("reflect", exercise.id, "--user", "u1", "--yes", stdin="\n".join([*answers, "n", ""]) + "\n")
    assert none.returncode == 0 and "No commitment this time." in none.stdout
    bad = run("reflect", exercise.id, "--user", "u2", "--yes",
              stdin="\n".join([*answers, "n", "Ring Jo", "friday"]) + "\n")
    assert bad.returncode == 2 and "is not a date: write it as YYYY-MM-DD" in bad.stderr
    assert "The commitment was not saved; the exercise is." in bad.stderr
    assert "No commitments yet" in run("commitments", "--user", "u2").stdout


def test_prompts_are_paused_for_leave_and_bad_dates_are_refused(run) -> None:  # type: ignore[no-untyped-def]
    assert run("weekly", "on", "--user", "u1", "--yes").returncode == 0
    refused = run("weekly", "pause", "2026-13-01", "--user", "u1")
    assert refused.returncode == 2 and "is not a date: write it as YYYY-MM-DD" in refused.stderr
    back = datetime.now(UTC).date() + timedelta(days=20)
    paused = run("weekly", "pause", f"{back:%Y-%m-%d}", "--user", "u1")
    assert paused.returncode == 0 and f"Paused until {back:%Y-%m-%d}" in paused.stdout
    assert "0 sent" in run("weekly", "run-due", "--now", (datetime.now(UTC) + timedelta(days=8)).isoformat()).stdout
    resumed = run("weekly", "resume", "--user", "u1")
    assert resumed.returncode == 0 and "Paused" not in resumed.stdout
    assert "1 sent" in run("weekly", "run-due", "--now", (datetime.now(UTC) + timedelta(days=8)).isoformat()).stdout
