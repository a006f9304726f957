"""`coach serve` as real processes, for the tests that need separate workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.slack.conftest import SIGNING_SECRET, free_port
from tests.slack.fake_slack_api import FakeSlackAPI


class ServeProcess:
    def __init__(self, api: FakeSlackAPI | Any, data_dir: Path, database_url: str, log: Path,
                 env_overrides: dict[str, str | None] | None = None, workers: int = 1) -> None:
        self.port = free_port()
        env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "COACH_SLACK_API_URL": api.url, "COACH_DATA_DIR": str(data_dir),
               "COACH_DATABASE_URL": database_url, "COACH_LOG_LEVEL": "INFO"}
        env.pop("SLACK_APP_TOKEN", None)
        for name, value in (env_overrides or {}).items():  # None removes the variable
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(workers)],
            env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.log_path = log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"coach serve exited: {self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"coach serve did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
