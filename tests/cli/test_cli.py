"""The `coach` command as a user runs it: exit codes, JSON shapes, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def coach(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COACH_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env,
                          timeout=300)


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_exits_2_with_a_clear_message(tmp_path: Path, question: str) -> None:
    result = coach("ask", question, data_dir=tmp_path)
    assert result.returncode == 2
    assert "empty" in result.stderr


def test_search_json_lists_hits_best_first_with_citations(guidance_index: Path) -> None:
    result = coach("search", "who should chair the local strategic partnership", "--k", "3", "--json",
                   data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 3
    assert {"text", "source", "title", "citation", "score"} <= set(hits[0])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_ask_json_has_answer_citations_covered_and_mode(guidance_index: Path) -> None:
    result = coach("ask", "is our partnership adding value or should one agency just do it?", "--json",
                   data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["covered"] is True and body["mode"] == "offline"
    assert body["citations"] and "[1]" in body["answer"]


def test_ask_without_an_index_says_what_to_run(tmp_path: Path) -> None:
    result = coach("ask", "how do I lead the LSP?", data_dir=tmp_path / "empty")
    assert result.returncode == 1
    assert "coach ingest" in result.stderr


def test_ingest_warns_about_a_bad_file_and_fails_only_when_nothing_ingested(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    only_bad = coach("ingest", str(docs), data_dir=tmp_path / "d1")
    assert only_bad.returncode == 1 and "broken.pdf" in only_bad.stdout
    (docs / "good.txt").write_text("Partnership is a means and not an end; only collaborate to add value.")
    mixed = coach("ingest", str(docs), data_dir=tmp_path / "d2")
    assert mixed.returncode == 0 and "broken.pdf" in mixed.stdout and "1 added" in mixed.stdout


def test_config_masks_secrets(tmp_path: Path) -> None:
    result = coach("config", "--json", data_dir=tmp_path,
                   env={"OPENAI_API_KEY": "sk-verysecretvalue123", "COACH_DATABASE_URL": "postgresql://u:pw@h/db"})
    assert result.returncode == 0, result.stderr
    assert "verysecretvalue123" not in result.stdout and ":pw@" not in result.stdout
    assert json.loads(result.stdout)["openai_api_key"].endswith("(set)")


def test_eval_retrieval_scores_any_gold_set_in_the_same_format(guidance_index: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "questions:\n"
        "  - id: h1\n"
        "    question: \"Does being the council give us the right to lead the partnership?\"\n"
        "    relevant:\n"
        "      - source: audit-commission-leadership\n"
        "        evidence: \"does not automatically confer on it an agreed leadership position\"\n"
        "out_of_scope:\n"
        "  - id: o1\n"
        "    question: \"What is the best recipe for lemon drizzle cake?\"\n")
    result = coach("eval", "retrieval", "--gold", str(gold), "--json", data_dir=guidance_index)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["questions"] == 1 and body["out_of_scope"] == 1
    ours = body["retrieval"][0]
    assert ours["recall"]["5"] == 1.0


def test_eval_retrieval_with_a_malformed_gold_set_exits_2_naming_the_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text("questions:\n  - id: h1\n    qestion: typo\n")
    result = coach("eval", "retrieval", "--gold", str(gold), data_dir=tmp_path)
    assert result.returncode == 2
    assert "gold.yaml" in result.stderr
