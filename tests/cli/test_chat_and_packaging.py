"""`coach chat` holds a conversation; a built wheel carries the guidance and prompts with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_chat_answers_keeps_history_and_quits(guidance_index: Path) -> None:
    script = "/help\nwho should chair our local strategic partnership?\n\n/history\n/quit\n"
    result = subprocess.run([sys.executable, "-m", "bot", "chat"], input=script, capture_output=True, text=True,
                            env={**os.environ, "COACH_DATA_DIR": str(guidance_index)}, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "/quit" in out  # the help text
    assert "[1]" in out and "Sources" in out
    assert "you: who should chair our local strategic partnership?" in out
    assert "empty" in out  # the blank line got a clear message, not a crash
    assert out.rstrip().endswith("Goodbye.")


@pytest.mark.slow
def test_a_non_editable_wheel_finds_knowledge_and_prompts(tmp_path: Path, unpacked_wheel: Path) -> None:
    site = unpacked_wheel
    assert (site / "bot/_data/knowledge/attributes.yaml").exists()
    assert (site / "bot/_data/knowledge/exercises").is_dir()
    assert (site / "bot/_data/prompts/system.yaml").exists()
    assert (site / "bot/_data/evals/retrieval_gold.yaml").exists()
    probe = ("import bot.paths as p; k = p.knowledge_dir(); print(k); "
             "assert (k / 'tizard-leading-questions-2010.md').exists()")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(site)}, timeout=60)
    assert run.returncode == 0, run.stderr
    assert str(site) in run.stdout
