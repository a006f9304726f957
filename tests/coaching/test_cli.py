"""The coaching commands as a user runs them: `coach assess`, `history`, `weekly`, `my-data`, `reflect`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def coach(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120, cwd=REPO)


def test_assess_history_export_and_erase_round_trip(tmp_path: Path) -> None:
    first = coach("assess", "--user", "u1", "--rating", "listening=2", data_dir=tmp_path)
    assert first.returncode == 2 and "What is stored" in first.stderr and "--yes" in first.stderr

    stored = coach("assess", "--user", "u1", "--rating", "listening=2", "--rating", "letting-go=5", "--note",
                   "<!channel> [red]not markup[/red]", "--key", "k1", "--yes", data_dir=tmp_path)
    assert stored.returncode == 0, stored.stderr
    assert "Stored: self-assessment #1 with 2 rating(s)" in stored.stdout
    again = coach("assess", "--user", "u1", "--rating", "listening=4", "--key", "k1", data_dir=tmp_path)
    assert "Already stored" in again.stdout

    history = coach("history", "--user", "u1", "--chart", str(tmp_path / "chart.png"), data_dir=tmp_path)
    assert history.returncode == 0 and "Strengths: Letting go (5/5)" in history.stdout
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")

    export = json.loads(coach("my-data", "export", "--user", "u1", data_dir=tmp_path).stdout)
    assert export["tables"]["submissions"][0]["note"] == "<!channel> [red]not markup[/red]"
    csv_lines = coach("my-data", "export", "--user", "u1", "--csv", data_dir=tmp_path).stdout.splitlines()
    assert len(csv_lines) == 3

    refused = coach("my-data", "erase", "--user", "u1", data_dir=tmp_path)
    assert refused.returncode == 2
    erased = coach("my-data", "erase", "--user", "u1", "--yes", data_dir=tmp_path)
    assert erased.returncode == 0 and "ratings 2" in erased.stdout and "users 1" in erased.stdout
    assert "No self-assessments yet" in coach("history", "--user", "u1", data_dir=tmp_path).stdout


@pytest.mark.parametrize(("rating", "message"), [
    ("listening=0", "from 1 to 5"), ("listening=6", "from 1 to 5"), ("charisma=3", "Unknown attribute 'charisma'"),
    ("listening", "ATTRIBUTE=RATING"),
])
def test_a_bad_rating_exits_2_with_the_reason_and_stores_nothing(tmp_path: Path, rating: str, message: str) -> None:
    result = coach("assess", "--user", "u1", "--rating", rating, "--yes", data_dir=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    export = json.loads(coach("my-data", "export", "--user", "u1", data_dir=tmp_path).stdout)
    assert export["tables"]["submissions"] == []


def test_weekly_prompts_on_status_run_due_and_off(tmp_path: Path) -> None:
    bad = coach("weekly", "on", "--user", "u1", "--timezone", "Mars/Olympus", "--yes", data_dir=tmp_path)
    assert bad.returncode == 2 and "IANA timezone" in bad.stderr
    on = coach("weekly", "on", "--user", "u1", "--day", "friday", "--time", "17:30", "--yes", data_dir=tmp_path)
    assert on.returncode == 0 and "Friday 17:30 (Europe/London)" in on.stdout
    assert "on: Friday 17:30" in coach("weekly", "status", "--user", "u1", data_dir=tmp_path).stdout
    assert "Weekly prompts are off" in coach("weekly", "off", "--user", "u1", data_dir=tmp_path).stdout
    none_due = coach("weekly", "run-due", data_dir=tmp_path)
    assert none_due.returncode == 0 and "0 sent" in none_due.stdout


def test_db_upgrade_reports_the_schema_revision(tmp_path: Path) -> None:
    from bot.storage.migrate import head_revision

    result = coach("db", "upgrade", data_dir=tmp_path)
    assert result.returncode == 0 and f"schema revision {head_revision()}." in result.stdout


def test_reflect_saves_each_step_and_resumes_after_input_ends(tmp_path: Path) -> None:
    from bot.coaching.exercises import load_exercises
    from bot.paths import knowledge_dir

    if not (knowledge_dir() / "exercises").is_dir():
        pytest.skip("knowledge/exercises/ has not landed yet")
    exercise = next(iter(load_exercises()))
    answers = ["3" if step.kind == "rating" else f"answer to {step.id}" for step in exercise.steps]
    partial = coach("reflect", exercise.id, "--user", "u1", "--yes", data_dir=tmp_path, stdin=answers[0] + "\n")
    assert partial.returncode == 0, partial.stderr
    assert "Saved after step 1" in partial.stdout
    rest = coach("reflect", "--user", "u1", data_dir=tmp_path, stdin="\n".join(answers[1:]) + "\n")
    assert rest.returncode == 0, rest.stderr
    assert "resuming" in rest.stdout and "Feedback" in rest.stdout
    export = json.loads(coach("my-data", "export", "--user", "u1", data_dir=tmp_path).stdout)
    assert [r["step_id"] for r in export["tables"]["reflections"]] == [s.id for s in exercise.steps]


def test_reflect_with_an_unknown_exercise_lists_the_known_ones(tmp_path: Path) -> None:
    result = coach("reflect", "no-such-exercise", "--user", "u1", "--yes", data_dir=tmp_path)
    assert result.returncode == 2 and "Unknown exercise 'no-such-exercise'" in result.stderr
