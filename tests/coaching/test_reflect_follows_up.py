"""`coach reflect` opens with last week's commitment, as the weekly prompt does in Slack: "Last week you said you
would … How did it go?", answered Done / Not yet / Drop it before the exercise, and kept as the Slack buttons keep
it. Piped, the follow-up takes the first line; at a terminal a word that is not an outcome is asked again.
On SQLite, and on PostgreSQL when COACH_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.coaching.exercises import exercise_library
from bot.storage import connect
from tests.coaching.test_reflect_in_terminal import at_terminal
from tests.storage.databases import BACKENDS, make_database_url

REPO = Path(__file__).resolve().parents[2]
Coach = Callable[..., subprocess.CompletedProcess[str]]
EXERCISE = next(iter(exercise_library()))
ANSWERS = ["3" if step.kind == "rating" else "we met the district councils twice" for step in EXERCISE.steps]
PROMISE = ["Call the PCT chief executive", "", "the director of public health"]


@pytest.fixture(params=BACKENDS)
def coach(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Coach, str]]:
    for url in make_database_url(request.param, tmp_path):
        def run(*args: str, stdin: str = "", url: str = url) -> subprocess.CompletedProcess[str]:
            env = {**os.environ, "COACH_DATA_DIR": str(tmp_path), "COACH_DATABASE_URL": url, "COLUMNS": "250"}
            return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env,
                                  input=stdin, timeout=180, cwd=REPO)
        yield run, url


def made_days_ago(url: str, days: int) -> None:
    """Move the person's commitments back in time, as if made `days` ago."""
    db = connect(url)
    try:
        with db.uow() as uow:
            for c in uow.commitments.for_user("u1"):
                uow.commitments.update("u1", c.id, created_at=datetime.now(UTC) - timedelta(days=days))
            uow.commit()
    finally:
        db.close()


def statuses(url: str) -> list[str]:
    db = connect(url)
    try:
        with db.uow() as uow:
            return [c.status for c in uow.commitments.for_user("u1")]
    finally:
        db.close()


def test_a_week_later_reflect_opens_with_the_commitment_and_keeps_how_it_went(coach: tuple[Coach, str]) -> None:
    run, url = coach
    made = run("reflect", EXERCISE.id, "--user", "u1", "--yes", stdin="\n".join([*ANSWERS, "n", *PROMISE]) + "\n")
    assert made.returncode == 0, made.stderr
    again = run("reflect", EXERCISE.id, "--user", "u1", stdin="\n".join([*ANSWERS, "n", ""]) + "\n")
    assert "How did it go?" not in again.stdout  # made minutes ago: nothing to follow up yet
    made_days_ago(url, 8)

    piped = ["done", *ANSWERS, "n", ""]  # the follow-up first, then the exercise as before
    followed = run("reflect", EXERCISE.id, "--user", "u1", stdin="\n".join(piped) + "\n")
    assert followed.returncode == 0, followed.stderr
    shown = " ".join(followed.stdout.split())
    assert ("Last week you said you would call the PCT chief executive, with the director of public health. "
            "How did it go?") in shown
    assert "Well done: kept as done." in shown
    assert shown.index("How did it go?") < shown.index(EXERCISE.title)  # before the exercise, as in Slack
    assert "No commitment this time." in shown  # every piped line went where it belongs
    assert statuses(url) == ["done"]
    assert "How did it go?" not in run("reflect", EXERCISE.id, "--user", "u1",
                                       stdin="\n".join([*ANSWERS, "n", ""]) + "\n").stdout  # settled


def test_a_piped_line_that_is_no_outcome_stores_nothing_and_says_the_follow_up_comes_first(
        coach: tuple[Coach, str]) -> None:
    run, url = coach
    assert run("reflect", EXERCISE.id, "--user", "u1", "--yes",
               stdin="\n".join([*ANSWERS, "n", *PROMISE]) + "\n").returncode == 0
    made_days_ago(url, 8)
    before = run("my-data", "export", "--user", "u1").stdout.count('"step_id"')
    refused = run("reflect", EXERCISE.id, "--user", "u1", stdin="\n".join([*ANSWERS, "n", ""]) + "\n")
    assert refused.returncode == 2
    assert "the first line of piped input answers it" in " ".join(refused.stderr.split())
    assert statuses(url) == ["open"]
    assert run("my-data", "export", "--user", "u1").stdout.count('"step_id"') == before

    left = run("reflect", EXERCISE.id, "--user", "u1", stdin="\n".join(["", *ANSWERS, "n", ""]) + "\n")
    assert left.returncode == 0 and "I'll ask again next week" in left.stdout  # a blank line leaves it
    assert statuses(url) == ["open"]
    assert "How did it go?" not in run("reflect", EXERCISE.id, "--user", "u1",
                                       stdin="\n".join([*ANSWERS, "n", ""]) + "\n").stdout  # not again this week


def test_at_a_terminal_a_word_that_is_not_an_outcome_is_asked_again(tmp_path: Path) -> None:
    code, shown = at_terminal("reflect", EXERCISE.id, "--user", "u1", "--yes", data_dir=tmp_path,
                              typed=[*ANSWERS, "n", "Ring the district leads", "", ""])
    assert code == 0, shown
    made_days_ago(f"sqlite:///{tmp_path / 'coach.db'}", 7)
    code, shown = at_terminal("reflect", EXERCISE.id, "--user", "u1", data_dir=tmp_path,
                              typed=["it went fine", "not yet", "/quit"])
    assert code == 0, shown
    assert "Last week you said you would ring the district leads. How did it go?" in shown
    assert "is not an answer here: say done, not yet or drop" in shown
    assert "Not yet: I'll ask again next week." in shown and "Saved after step 0" in shown
    assert statuses(f"sqlite:///{tmp_path / 'coach.db'}") == ["not_yet"]
