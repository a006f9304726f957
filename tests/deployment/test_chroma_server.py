"""Workers share one Chroma server: `coach ingest` writes there, any worker reads it, an outage is survived."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_retriever
from bot.config import Settings
from bot.errors import IndexUnreadableError
from bot.retrieval.hybrid import HybridRetriever
from tests.deployment.chroma_server import ChromaServer

QUESTIONS = ["How do I lead when I have no authority over partners?",
             "What makes a partnership board effective?",
             "How should I handle conflict between partner organisations?"]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ingested(chroma: ChromaServer, tmp_path_factory: pytest.TempPathFactory) -> ChromaServer:
    """The bundled guidance ingested by `coach ingest` with COACH_CHROMA_URL set, from its own data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "SLACK_", "OPENAI_"))}
    env.update(COACH_CHROMA_URL=chroma.url, COACH_DATA_DIR=str(tmp_path_factory.mktemp("ingesting-machine")))
    done = subprocess.run([sys.executable, "-m", "bot", "ingest"], capture_output=True, text=True, env=env,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert chroma.url in done.stdout
    return chroma


def test_a_worker_with_no_local_index_searches_what_ingest_wrote_to_the_server(
        ingested: ChromaServer, guidance_retriever: HybridRetriever, tmp_path: Path) -> None:
    worker = build_retriever(Settings(data_dir=tmp_path / "worker", chroma_url=ingested.url))
    assert len(worker) == len(guidance_retriever)
    for question in QUESTIONS:
        expected = [h.chunk_id for h in guidance_retriever.search(question)]
        assert [h.chunk_id for h in worker.search(question)] == expected
        assert worker.off_topic_similarity(question) == pytest.approx(guidance_retriever.off_topic_similarity(question))
    assert not (tmp_path / "worker" / "index" / "index.json").exists()


def test_search_goes_on_with_the_written_questions_while_the_server_is_down(
        ingested: ChromaServer, tmp_path: Path) -> None:
    worker = build_retriever(Settings(data_dir=tmp_path / "worker", chroma_url=ingested.url))
    vector = worker.embed_query(QUESTIONS[0])
    assert worker.matched_questions(vector)
    ingested.stop()
    try:
        assert worker.search(QUESTIONS[1]), "passages are in memory: the search still answers"
        # The written questions were read with the passages when the worker started: they still match.
        assert worker.matched_questions(worker.embed_query(QUESTIONS[1]))
        with pytest.raises(IndexUnreadableError, match="Chroma server"):
            build_retriever(Settings(data_dir=tmp_path / "new-worker", chroma_url=ingested.url))
    finally:
        ingested.start()
    assert worker.matched_questions(worker.embed_query(QUESTIONS[2]))
