"""`coach eval answers` as CI runs it (offline) and through a model (the fake server)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.answering.evaluation import load_attacks
from tests.llm.fake_openai import FakeOpenAI, Reply


def coach(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COACH_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env,
                          timeout=300)


def test_offline_answer_evaluation_reports_every_measure(guidance_index: Path) -> None:
    result = coach("eval", "answers", "--json", "--limit", "5", data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["answerer"] == "offline" and report["questions"] == 5
    assert report["citation_validity"] == 1.0
    assert 0 < report["groundedness"] <= 1
    assert report["declined_out_of_scope"] >= 0.9
    known_offline_gaps = {c.id for c in load_attacks() if "offline" in c.known_gap}
    assert set(report["attack_failures"]) <= known_offline_gaps, report["attack_failures"]
    categories = report["attack_categories"]
    assert {"direct", "obfuscated", "translated", "indirect", "exfiltration", "prompt_extraction",
            "slack_markup"} <= set(categories)
    assert sum(c["cases"] for c in categories.values()) == report["attacks"] >= 60  # planted cases included
    assert report["in_scope_screened"] == []


def test_the_table_prints_the_pass_rate_per_category(guidance_index: Path) -> None:
    result = coach("eval", "answers", "--limit", "1", data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    assert "  obfuscated" in result.stdout and "  indirect" in result.stdout
    assert "in-scope questions refused as attacks" in result.stdout


def test_answer_evaluation_through_a_model_adds_the_judge(guidance_index: Path) -> None:
    with FakeOpenAI() as fake:
        fake.default = Reply("faithfulness: 0.9\nrelevancy: 0.8")
        result = coach("eval", "answers", "--llm", "--json", "--limit", "2", data_dir=guidance_index,
                       env={"OPENAI_BASE_URL": fake.base_url, "COACH_LLM_TIMEOUT": "2"})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["answerer"] == "llm"
    assert report["judge"] == {"faithfulness": 0.9, "relevancy": 0.8}
    # This fake model's reply cites nothing, so the offline answer stands in: the offline gaps may show.
    assert set(report["attack_failures"]) <= {c.id for c in load_attacks() if c.known_gap}, report["attack_failures"]
    assert sum(c["cases"] for c in report["attack_categories"].values()) == report["attacks"]


def test_evaluating_through_a_model_with_none_configured_says_how_to_fix_it(tmp_path: Path) -> None:
    result = coach("eval", "answers", "--llm", data_dir=tmp_path)
    assert result.returncode == 2
    assert "OPENAI_API_KEY" in result.stderr


def test_scripted_conversations_get_every_scope_decision_right_offline(guidance_index: Path) -> None:
    result = coach("eval", "conversations", "--json", data_dir=guidance_index)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["conversations"] >= 15 and report["accuracy"] == 1.0, report["wrong"]
    assert set(report["by_expected"]) == {"answer", "follow-up", "decline"}


def test_scripted_conversations_run_through_a_model(guidance_index: Path) -> None:
    with FakeOpenAI() as fake:
        # Whatever is asked, the model replies with a cited sentence: condensed follow-ups and answers alike.
        fake.default = Reply("A partnership leader shares a vision with partners [1].")
        result = coach("eval", "conversations", "--llm", "--json", data_dir=guidance_index,
                       env={"OPENAI_BASE_URL": fake.base_url, "COACH_LLM_TIMEOUT": "2"})
        condensed = [r for r in fake.chat_requests() if "<history>" in r.body["messages"][1]["content"]]
    report = json.loads(result.stdout)
    assert report["turns"] >= 30 and report["accuracy"] == 1.0, report["wrong"]
    assert len(condensed) == report["by_expected"]["follow-up"][1]  # the model rewrites follow-ups, only them


def test_a_conversation_set_that_is_not_one_is_refused_with_its_name(guidance_index: Path, tmp_path: Path) -> None:
    bad = tmp_path / "convs.yaml"
    bad.write_text("version: 1\nconversations:\n  - id: x\n    turns: [{ask: hi, expect: maybe}]\n", encoding="utf-8")
    result = coach("eval", "conversations", "--set", str(bad), data_dir=guidance_index)
    assert result.returncode == 2 and "convs.yaml" in result.stderr
