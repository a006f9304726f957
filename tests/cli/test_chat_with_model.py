"""`coach chat` with a model configured streams the answer as it arrives, then shows the checked answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.llm.fake_openai import FakeOpenAI, Reply

REPLY = ("Partnership is a means and not an end [1]. Only adopt partnership models and/or collaborate when these "
         "approaches will add value [1].\nWhat value does yours add that one agency could not?")


def test_chat_streams_the_models_answer_through_the_real_client(guidance_index: Path, tmp_path: Path) -> None:
    with FakeOpenAI() as server:
        server.default = Reply(text=REPLY, chunk_words=2)
        env = {**os.environ, "COACH_DATA_DIR": str(guidance_index), "OPENAI_BASE_URL": server.base_url,
               "OPENAI_API_KEY": "sk-test", "COACH_LLM_TIMEOUT": "10",
               "COACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}"}
        result = subprocess.run([sys.executable, "-m", "bot", "chat"], capture_output=True, text=True, env=env,
                                input="Should one agency just do this instead of a partnership?\n/quit\n",
                                timeout=300)
        requests = server.chat_requests()
    assert result.returncode == 0, result.stderr
    assert "answers from the configured model" in result.stdout
    assert any(r.body.get("stream") for r in requests), "the answer was requested as a stream"
    assert "─" in result.stdout, "a rule is drawn only after streamed text"
    live, _, final = result.stdout.partition("─")  # the rule separates the live text from the checked answer
    assert "Partnership is a means and not an end" in live
    assert "Sources" in final
