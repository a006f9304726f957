"""`coach eval facts` and `coach eval leaders`: the answer text measured, offline and through a model."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.paths import evals_dir
from tests.llm.fake_openai import FakeOpenAI, Reply
from tests.llm.test_eval_cli import coach


def test_the_answer_level_measure_reads_the_answer_text_on_each_set(guidance_index: Path) -> None:
    result = coach("eval", "facts", "--json", "--limit", "4", "--gold", str(evals_dir() / "retrieval_holdout.yaml"),
                   "--gold", str(evals_dir() / "leaders_questions.yaml"), data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    holdout, leaders = report["retrieval_holdout.yaml"], report["leaders_questions.yaml"]
    assert holdout["questions"] == 4 and leaders["questions"] == 4
    assert 0 <= holdout["fact_in_answer"] <= 1 and 0 <= holdout["fact_in_citations"] <= 1
    assert holdout["out_of_scope"] == len(yaml.safe_load((evals_dir() / "retrieval_holdout.yaml").read_text(
        encoding="utf-8"))["out_of_scope"])
    assert set(leaders["missing"]) <= {f"leaders-0{i}" for i in range(1, 5)}


def test_the_same_sets_run_through_a_model_served_by_the_fake(guidance_index: Path) -> None:
    with FakeOpenAI() as fake:
        fake.default = Reply("Leaders have to accept political accountability for outcomes they do not control "
                             "[1].\n\nWhat do you control directly?")
        result = coach("eval", "facts", "--llm", "--json", "--limit", "2", "--gold",
                       str(evals_dir() / "retrieval_holdout.yaml"), data_dir=guidance_index,
                       env={"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-test", "COACH_LLM_TIMEOUT": "2"})
        asked = len(fake.chat_requests())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["retrieval_holdout.yaml"]
    assert report["questions"] == 2
    assert asked >= 2, "the questions went to the model"


def test_the_leaders_set_answered_again_matches_what_was_judged(guidance_index: Path, tmp_path: Path) -> None:
    pending = tmp_path / "pending.yaml"
    result = coach("eval", "leaders", "--write-pending", str(pending), data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    judged = yaml.safe_load((evals_dir() / "leaders_judged.yaml").read_text(encoding="utf-8"))
    assert f"Unchanged since judged: {len(judged['judgements'])}" in " ".join(result.stdout.split())
    written = yaml.safe_load(pending.read_text(encoding="utf-8"))
    assert [j["answers_question"] for j in written["judgements"]] == \
        [j["answers_question"] for j in judged["judgements"]]
