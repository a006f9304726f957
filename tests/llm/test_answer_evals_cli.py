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


def test_the_leaders_set_answered_again_shows_what_changed_since_it_was_judged(guidance_index: Path,
                                                                             tmp_path: Path) -> None:
    pending = tmp_path / "pending.yaml"
    result = coach("eval", "leaders", "--write-pending", str(pending), data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    judged = {j["id"]: j for j in yaml.safe_load((evals_dir() / "leaders_judged.yaml").read_text(
        encoding="utf-8"))["judgements"]}
    written = yaml.safe_load(pending.read_text(encoding="utf-8"))["judgements"]
    assert [j["id"] for j in written] == list(judged)
    for j in written:  # an unchanged answer keeps its verdict; a changed one waits to be judged again
        same = j["answer"].strip() == judged[j["id"]]["answer"].strip()
        assert j["answers_question"] == (judged[j["id"]]["answers_question"] if same else "TO JUDGE")
    changed = [j["id"] for j in written if j["answers_question"] == "TO JUDGE"]
    text = " ".join(result.stdout.split())
    assert f"Unchanged since judged: {len(judged) - len(changed)}" in text
    assert not changed or f"Changed since judged (judge again): {', '.join(changed)}" in text
