"""The local model served through ONNX Runtime: the same vectors as sentence-transformers, exported once per
model, never PyTorch on the query path, and a fallback that says so when the ONNX model cannot be had."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.evaluation.gold import load_gold
from bot.retrieval.embeddings import LOCAL_MODEL_NAME, LocalEmbedder, build_embedder
from bot.retrieval.onnx_embedder import (
    OnnxEmbedder,
    OnnxUnavailableError,
    ensure_onnx_model,
    onnx_model_path,
    packaged_model_dir,
)
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.processes import ServeProcess
from tests.slack.signed import SlackSender
from tests.slack.test_asking import dm

ROOT = Path(__file__).resolve().parents[2]
# What must not be imported when the ONNX model is there: each costs seconds and hundreds of MiB.
HEAVY = re.compile(r"\|\s+(torch|sentence_transformers|transformers)(\.|$)", re.MULTILINE)
# What a serving worker without a model configured does not use: Chroma (it reads ingest's snapshot of the
# records), LangChain (only with a model) and matplotlib (only when a chart is drawn). Each stays resident.
UNUSED_WHEN_SERVING = re.compile(r"\|\s+(chromadb|langchain_core|matplotlib)(\.|$)", re.MULTILINE)


def gold_questions() -> list[str]:
    gold = load_gold()
    return [q.question for q in gold.questions] + [q.question for q in gold.out_of_scope]


@pytest.mark.slow
def test_onnx_and_pytorch_give_the_same_vectors_for_every_gold_question() -> None:
    onnx = build_embedder(Settings())
    assert isinstance(onnx, OnnxEmbedder) and onnx.name == LOCAL_MODEL_NAME  # the index takes both
    questions = gold_questions()
    reference = LocalEmbedder().embed(questions)
    one_by_one = np.vstack([onnx.embed([q]) for q in questions])
    batched = onnx.embed(questions)  # all in one call, in the caller's order
    for got in (one_by_one, batched):
        assert got.shape == reference.shape and got.dtype == np.float32
        cosines = (got * reference).sum(axis=1)
        assert cosines.min() >= 0.999, [questions[i] for i in np.flatnonzero(cosines < 0.999)]
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)


@pytest.mark.slow
def test_long_passages_are_cut_where_sentence_transformers_cuts_them() -> None:
    passages = [" ".join(["Partners share accountability for outcomes they cannot deliver alone."] * 60),
                "Trust.", ""]
    cosines = (build_embedder(Settings()).embed(passages) * LocalEmbedder().embed(passages)).sum(axis=1)
    assert cosines.min() >= 0.999


def test_the_export_is_named_after_the_model_files(tmp_path: Path) -> None:
    source = tmp_path / "model"
    (source / "1_Pooling").mkdir(parents=True)
    for name in ("config.json", "model.safetensors", "tokenizer.json", "modules.json", "1_Pooling/config.json"):
        (source / name).write_text("{}")
    (source / "sentence_bert_config.json").write_text('{"max_seq_length": 256}')
    cache = tmp_path / "cache"
    first = onnx_model_path(cache, source)
    assert first.parent.parent == cache and first.parent.name.startswith("all-MiniLM-L6-v2-")
    assert first.name == "model.onnx"
    assert onnx_model_path(cache, source) == first
    (source / "model.safetensors").write_text('{"other": "weights"}')
    assert onnx_model_path(cache, source) != first


@pytest.mark.slow
def test_the_model_is_exported_once_and_then_reused(tmp_path: Path) -> None:
    cache = tmp_path / "models"
    path = ensure_onnx_model(cache)
    assert path == onnx_model_path(cache, packaged_model_dir())
    weights = path.with_name("model.onnx.data")  # kept apart, so onnxruntime maps them rather than copies
    assert weights.stat().st_size > 50_000_000
    stamp = weights.stat().st_mtime_ns
    assert ensure_onnx_model(cache) == path and weights.stat().st_mtime_ns == stamp
    # Written aside and renamed into place: nothing half-written is left beside it.
    assert sorted(p.name for p in cache.iterdir()) == [path.parent.name, path.parent.name + ".lock"]
    exported = OnnxEmbedder(path, packaged_model_dir()).embed(gold_questions()[:8])
    assert (exported * LocalEmbedder().embed(gold_questions()[:8])).sum(axis=1).min() >= 0.999


def test_a_model_cache_that_cannot_be_written_is_reported_not_hidden(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(OnnxUnavailableError):
        ensure_onnx_model(blocker / "models")


@pytest.mark.slow
@pytest.mark.parametrize("broken", ["unwritable cache", "corrupt onnx file"])
def test_without_a_usable_onnx_model_the_coach_falls_back_to_sentence_transformers_and_says_so(
        broken: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    if broken == "unwritable cache":
        (tmp_path / "a-file").write_text("not a directory")
        cache = tmp_path / "a-file" / "models"
    else:
        cache = tmp_path / "models"
        cache.mkdir()
        corrupt = onnx_model_path(cache, packaged_model_dir())
        corrupt.parent.mkdir()
        corrupt.write_bytes(b"not an onnx model")
    with caplog.at_level(logging.WARNING, logger="bot.retrieval.embeddings"):
        embedder = build_embedder(Settings(model_cache_dir=cache))
    assert isinstance(embedder, LocalEmbedder)
    assert any("falling back to sentence-transformers" in r.getMessage() for r in caplog.records)
    assert embedder.embed(["How do I build trust?"]).shape == (1, 384)


def _coach(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OPENAI_", "SLACK_"))}
    env.update(COACH_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), PYTHONPROFILEIMPORTTIME="1")
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, env=env, capture_output=True,
                          text=True, timeout=300, cwd=ROOT, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("args, stdin", [
    (["ask", "How do I build trust with the NHS?"], ""),
    (["search", "How do I build trust with the NHS?"], ""),
    (["chat"], "How do I build trust with the NHS?\n/quit\n"),
])
def test_the_query_commands_never_import_pytorch(args: list[str], stdin: str, guidance_index: Path) -> None:
    build_embedder(Settings())  # the ONNX model is there (exported once per machine)
    done = _coach(args, guidance_index, stdin)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "NHS" in done.stdout or "[1]" in done.stdout  # it did answer, from the guidance
    assert "import time:" in done.stderr  # the import log is there to be checked
    assert not HEAVY.findall(done.stderr), sorted({m[0] for m in HEAVY.findall(done.stderr)})


@pytest.mark.slow
def test_a_serving_worker_answers_and_reports_ready_without_importing_pytorch_or_what_it_does_not_use(
        guidance_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_embedder(Settings())
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")  # ServeProcess passes the environment on
    api = FakeSlackAPI().start()
    worker = ServeProcess(api, guidance_index, f"sqlite:///{tmp_path / 'coach.db'}", tmp_path / "serve.log")
    try:
        worker.wait_ready()
        assert SlackSender(worker.url, SIGNING_SECRET).event(dm("How do I build trust with the NHS?")).status == 200
        api.wait_for("chat.stopStream", timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{worker.port}/readyz", timeout=30) as ready:
            assert json.loads(ready.read())["checks"]["index"]["ok"] is True
    finally:
        worker.stop()
        api.stop()
    log = worker.log_path.read_text()
    assert "import time:" in log
    assert not HEAVY.findall(log), sorted({m[0] for m in HEAVY.findall(log)})
    assert not UNUSED_WHEN_SERVING.findall(log), sorted({m[0] for m in UNUSED_WHEN_SERVING.findall(log)})
