"""/healthz says the process is alive, /readyz whether it can serve (database, index, model), /metrics what
it has done; `coach doctor` runs the readiness checks from the command line, one line each."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.config import Settings
from bot.observability.health import readiness
from bot.slack.app import build_app
from bot.slack.server import asgi_app
from bot.slack.services import SlackServices
from bot.storage import Database
from tests.llm.fake_openai import FakeOpenAI
from tests.slack.conftest import SlackHarness, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.fakes import EchoAnswerer


def served(settings: Settings, database: Database) -> TestClient:
    app = build_app(SlackServices(answerer=EchoAnswerer()), settings, transport="http")
    return TestClient(asgi_app(app, readiness=lambda: readiness(settings, database)))


def test_healthz_answers_while_readyz_names_the_missing_index(fake_slack: FakeSlackAPI, database: Database,
                                                              tmp_path: Path) -> None:
    client = served(slack_settings(fake_slack, data_dir=tmp_path / "empty"), database)
    assert client.get("/healthz").text == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["index"]["ok"] is False and "coach ingest" in checks["index"]["detail"]
    assert "model" not in checks, "no model configured, none checked"


def test_readyz_is_ready_with_the_index_and_a_reachable_model(fake_slack: FakeSlackAPI, database: Database,
                                                              guidance_index: Path) -> None:
    with FakeOpenAI() as model:
        settings = slack_settings(fake_slack, data_dir=guidance_index, openai_base_url=model.base_url,
                                  openai_api_key="sk-test-key")
        ready = served(settings, database).get("/readyz")
    assert ready.status_code == 200, ready.json()
    assert set(ready.json()["checks"]) == {"database", "index", "model"}


def test_readyz_fails_when_the_configured_model_cannot_be_reached(fake_slack: FakeSlackAPI, database: Database,
                                                                  guidance_index: Path) -> None:
    from tests.slack.conftest import free_port

    settings = slack_settings(fake_slack, data_dir=guidance_index, openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
                              openai_api_key="sk-test-key")
    ready = served(settings, database).get("/readyz")
    assert ready.status_code == 503
    model = ready.json()["checks"]["model"]
    assert model["ok"] is False and "sk-test-key" not in model["detail"]


def test_metrics_count_requests_and_acks_by_type(harness: SlackHarness) -> None:
    metrics_url = f"http://127.0.0.1:{harness.app.port}/metrics"

    def page() -> str:
        with urllib.request.urlopen(metrics_url, timeout=10) as response:
            return str(response.read().decode())

    def acks() -> float:
        for line in page().splitlines():
            if line.startswith('coach_slack_acks_total{type="event:app_home_opened"}'):
                return float(line.split()[-1])
        return 0.0

    before = acks()
    assert harness.slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"}).status == 200
    assert acks() == before + 1
    assert 'coach_slack_ack_seconds_bucket{le="0.01",type="event:app_home_opened"}' in page()
    assert 'coach_slack_requests_total{type="event:app_home_opened"}' in page()


def _doctor(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "SLACK_", "OPENAI_"))}
    return subprocess.run([sys.executable, "-m", "bot", "doctor"], capture_output=True, text=True,
                          env={**base, **env}, timeout=300)


def test_doctor_prints_one_line_per_check_and_fails_on_a_missing_index(tmp_path: Path) -> None:
    done = _doctor({"COACH_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("ok") and "database" in lines[0]
    assert lines[1].startswith("FAIL index") and "coach ingest" in lines[1]


def test_doctor_passes_with_a_database_and_an_index(tmp_path: Path, guidance_index: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(guidance_index, data)
    done = _doctor({"COACH_DATA_DIR": str(data)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split()[:2] for line in done.stdout.splitlines()] == [["ok", "database:"], ["ok", "index:"]]


@pytest.mark.parametrize("url", ["postgresql+psycopg://coach@127.0.0.1:1/none"])
def test_doctor_names_an_unreachable_database(tmp_path: Path, url: str) -> None:
    done = _doctor({"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_DATABASE_URL": url})
    assert done.returncode == 1
    assert done.stdout.startswith("FAIL database") and "COACH_DATABASE_URL" in done.stdout


def test_metrics_add_up_every_worker_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.observability.metrics import MULTIPROC_ENV, exposition

    env = {**os.environ, MULTIPROC_ENV: str(tmp_path)}
    for _ in range(2):  # two worker processes, each sending two weekly prompts
        subprocess.run([sys.executable, "-c", "from bot.observability.metrics import WEEKLY_PROMPTS_SENT as m; "
                        "m.inc(2)"], env=env, check=True, timeout=60)
    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path))
    page = exposition()[0].decode()
    assert "coach_weekly_prompts_sent_total 4.0" in page
