"""`coach reflect` as a person types it at a terminal (a pseudo-terminal, so the command sees a TTY): a
non-answer asked again, /back, /skip, /help, /quit and resume with a recap, feedback naming what was written;
and with the answers piped, the self-rating is still offered."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from tests.coaching.test_cli import REPO, coach

TRADE = "Our youth workers on Friday nights, for shared call-out data"


def at_terminal(*args: str, data_dir: Path, typed: list[str]) -> tuple[int, str]:
    """Run `coach ARGS` on a pseudo-terminal, typing `typed` a line at a time; the exit code and what it showed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COLUMNS": "200", "NO_COLOR": "1"}
    process = subprocess.Popen([sys.executable, "-m", "bot", *args], stdin=follower, stdout=follower,
                               stderr=follower, env=env, cwd=REPO, close_fds=True)
    os.close(follower)
    os.write(leader, "".join(line + "\n" for line in typed).encode())  # the terminal keeps lines until read
    shown = b""
    while True:
        if not select.select([leader], [], [], 120)[0]:  # waiting for input nobody typed: stop, and say so
            process.kill()
            shown += b"\n[the command was still waiting for input after the typed lines ran out]"
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command exited and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    code = process.wait(timeout=120)
    text = shown.decode("utf-8", "replace").replace("\r\n", "\n")
    return code, " ".join(re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", text).split())  # lines wrapped by width: joined


def reflections(data_dir: Path) -> list[tuple[str, str | None, int | None]]:
    export = json.loads(coach("my-data", "export", "--user", "u1", data_dir=data_dir).stdout)
    return [(r["step_id"], r["answer"], r["rating"]) for r in export["tables"]["reflections"]]


def test_a_non_answer_is_asked_again_and_back_skip_help_and_quit_move_instead_of_being_stored(tmp_path: Path) -> None:
    code, shown = at_terminal("reflect", "win-win", "--user", "u1", "--yes", data_dir=tmp_path, typed=[
        "idk",  # a non-answer: asked again
        "The police, who get fewer repeat call-outs",
        "/help",
        "/back",
        "The fire service, who get safer homes",  # replaces the answer to step 1
        "/skip",
        "/quit",
    ])
    assert code == 0, shown
    assert "placeholder rather than an answer" in shown and "Step 1/4" in shown
    assert "/skip: leave this step out" in shown
    assert "Your answer before: The police, who get fewer repeat call-outs" in shown
    assert "Saved after step 2" in shown
    assert reflections(tmp_path) == [("theirs", "The fire service, who get safer homes", None)]

    code, shown = at_terminal("reflect", "--user", "u1", data_dir=tmp_path, typed=[
        "They agreed once we brought the data", "/back", "/back", TRADE, "They agreed once we brought the data",
        "2", "n", ""])  # n: no self-rating now; an empty line: no commitment
    assert code == 0, shown
    recap = shown[shown.index("So far you wrote"):shown.index("Step 3/4")]
    assert "What the partner gets: “The fire service, who get safer homes”" in recap
    assert "What you could offer: skipped" in recap
    # the feedback names the partner and the trade this person wrote, and what their 2/5 means
    assert f"offer what you proposed, “{TRADE}”, before you next ask them" in shown
    assert "you named the fire service" in shown and "At 2/5, the gains are one-sided" in shown
    assert [step for step, _, _ in reflections(tmp_path)] == ["theirs", "trade", "power", "balance"]


def test_with_the_answers_piped_the_self_rating_is_offered_and_stored(tmp_path: Path) -> None:
    answers = ["The police, who get fewer repeat call-outs", TRADE, "They agreed once we brought the data", "2"]
    result = coach("reflect", "win-win", "--user", "u1", "--yes", data_dir=tmp_path,
                   stdin="\n".join([*answers, "y", "4", "3"]) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Rate yourself now on the attributes this exercise is about?" in result.stdout
    assert "Stored: self-assessment #1" in result.stdout
    export = json.loads(coach("my-data", "export", "--user", "u1", data_dir=tmp_path).stdout)
    assert sorted(r["rating"] for r in export["tables"]["ratings"]) == [3, 4]

    ended = coach("reflect", "win-win", "--user", "u2", "--yes", data_dir=tmp_path, stdin="\n".join(answers) + "\n")
    assert ended.returncode == 0 and "No self-rating given (the input ended)" in ended.stdout
