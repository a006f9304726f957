"""Exercise quotes are the guidance's own words: verbatim, and whole sentences unless the cut is marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coaching.quotes import quote_problem, source_lines

SOURCE = """\
---
source_id: example
---
# Example

**81.** Leading a partnership successfully requires influencing skills. Different partners may emerge to lead.

The successful leader will have:

- be ready to let go and allow others to do so
- a challenging mentality that asks ‘why?’, ‘what for?’ and similar questions
"""


@pytest.fixture
def lines(tmp_path: Path) -> list[str]:
    path = tmp_path / "example.md"
    path.write_text(SOURCE, encoding="utf-8")
    return source_lines(path)


@pytest.mark.parametrize("quote", [
    "Leading a partnership successfully requires influencing skills.",
    "Different partners may emerge to lead.",
    "be ready to let go and allow others to do so",
    "…requires influencing skills.",
    "Leading a partnership…",
    "Leading a partnership … influencing skills.",
    "…asks ‘why?’, ‘what for?’…",
], ids=["first-sentence", "sentence-after-a-full-stop", "whole-list-item", "marked-start", "marked-end",
        "marked-middle", "marked-both-ends"])
def test_whole_sentences_and_marked_cuts_are_faithful(lines: list[str], quote: str) -> None:
    assert quote_problem(quote, lines) is None


@pytest.mark.parametrize(("quote", "problem"), [
    ("requires influencing skills.", "starts mid-sentence"),
    ("Leading a partnership successfully requires", "stops mid-sentence"),
    ("be ready to let go", "stops mid-sentence"),
    ("Leading a partnership always requires influencing skills.", "not verbatim"),
    ("Leading a partnership … lead on everything.", "not verbatim"),
    ("…", "empty"),
], ids=["unmarked-start", "unmarked-end", "cut-list-item", "reworded", "reworded-after-a-cut", "only-a-mark"])
def test_unmarked_cuts_and_rewordings_are_reported(lines: list[str], quote: str, problem: str) -> None:
    found = quote_problem(quote, lines)
    assert found is not None and problem in found


def test_the_dominating_scale_runs_like_every_other_with_shared_leadership_at_5() -> None:
    from bot.coaching.exercises import exercise_library

    dominating = exercise_library().get("dominating")
    [mirror] = [step for step in dominating.steps if step.kind == "rating"]
    assert mirror.scale_labels is not None
    assert "shared" in mirror.scale_labels[5].lower() and "machinery" in mirror.scale_labels[1].lower()
