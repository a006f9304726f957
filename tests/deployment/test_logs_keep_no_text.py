"""Logs never hold what people wrote, nor tokens or secrets, even at DEBUG: the whole Slack scenario suite
(tests/slack) is run with every log line captured through the coach's JSON logging, then every line is scanned
for each text the tests sent and for the credentials."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.slack.conftest import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ["xoxb-test", SIGNING_SECRET, "sk-test-key", "xapp-"]
MIN_LENGTH = 12  # shorter texts ("assess", "help") are command words that logs may name


@pytest.mark.timeout(1800)  # the whole Slack suite runs inside this test
def test_no_log_line_of_the_slack_scenarios_holds_a_message_text_or_a_secret(tmp_path: Path) -> None:
    log_file, sent_file = tmp_path / "log.jsonl", tmp_path / "sent.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "SLACK_", "OPENAI_"))}
    env.update(COACH_LOG_AUDIT_FILE=str(log_file), COACH_LOG_AUDIT_SENT=str(sent_file))
    # SQLite only: what is logged does not depend on the database, and the suite takes half as long.
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.deployment.log_audit",
                          "-q", "-x", "tests/slack"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1700)
    assert run.returncode == 0, run.stdout[-3000:]
    lines = log_file.read_text(encoding="utf-8").splitlines()
    sent = [json.loads(line) for line in sent_file.read_text(encoding="utf-8").splitlines()]
    words = [t.strip() for t in sent if len(t.strip()) >= MIN_LENGTH]
    assert len(lines) > 100 and len(words) > 20, "the scenarios ran, logged and sent text"
    assert all(json.loads(line)["level"] for line in lines), "every line is one JSON object"
    leaks = [(w, line) for line in lines for w in [*words, *SECRETS] if w in line]
    assert leaks == []
    records = [json.loads(line) for line in lines]
    received = [r for r in records if r["logger"] == "bot.slack.middleware.observe"]
    assert len(received) > 50 and all(r["request_id"] for r in received), "each Slack request is logged with its id"
    assert len({r["request_id"] for r in received}) > len(received) / 2, "ids are per request (retries share one)"
    after_ack = [r for r in records if r["thread"].startswith("coach-slack")]
    assert after_ack and all(r["request_id"] for r in after_ack), "the work after the ack keeps the request's id"
