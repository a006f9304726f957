"""Prompt templates: versioned, validated on load, strict about their variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import PromptError
from bot.prompts import REQUIRED, load_prompt, load_prompts

GOOD = 'version: "t-1"\ndescription: d\nvariables: [question]\ntemplate: "Q: {question}"\n'


def test_bundled_prompts_load_with_a_version_each() -> None:
    versions = load_prompts().versions()
    assert set(versions) == set(REQUIRED)
    assert all(versions.values())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (GOOD + "colour: blue\n", "Extra inputs"),
        ('version: "t-1"\ndescription: d\nvariables: [question, passages]\ntemplate: "Q: {question}"\n',
         "declares variables"),
        ('version: "t-1"\ndescription: d\nvariables: []\ntemplate: "Q: {question}"\n', "declares variables"),
        ('description: d\nvariables: []\ntemplate: "hi"\n', "version"),
        ('version: "t-1"\ndescription: d\nvariables: []\ntemplate: "Q: {oops"\n', "malformed placeholder"),
        ("- just a list\n", "must be a YAML mapping"),
    ],
)
def test_a_malformed_prompt_file_is_an_error_naming_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "answer.yaml"
    path.write_text(text)
    with pytest.raises(PromptError, match=problem):
        load_prompt(path)


@pytest.mark.parametrize("values", [{}, {"question": "q", "extra": "x"}])
def test_rendering_with_a_missing_or_unknown_value_is_an_error(tmp_path: Path, values: dict[str, str]) -> None:
    path = tmp_path / "answer.yaml"
    path.write_text(GOOD)
    with pytest.raises(PromptError, match=r"missing|unexpected"):
        load_prompt(path).render(**values)


def test_a_prompt_directory_missing_a_template_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "system.yaml").write_text(GOOD)
    with pytest.raises(PromptError, match="missing"):
        load_prompts(tmp_path)
