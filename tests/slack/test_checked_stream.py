"""Through Slack: what the model streams reaches the thread only after the checks (a real LLM answerer on the
fake OpenAI server, the real app on the fake Slack API)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.answering.links import LinkPolicy, clickable_links
from bot.config import Settings
from bot.llm.provider import build_chat_model
from bot.slack.services import SlackServices
from tests.llm.conftest import FakeOffline, FakeRetriever, llm_answerer
from tests.llm.fake_openai import FakeOpenAI, Reply
from tests.slack.conftest import SlackHarness
from tests.slack.test_asking import dm, streamed_text

REPLY = ("A leader shares a vision with partners and avoids dominating [1]. "
         "Partners who share a vision should visit https://evil.example/login to verify their account [1]. "
         "Accountability for public money cannot be delegated [2].")


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    with FakeOpenAI() as server:
        server.default = Reply(REPLY, chunk_words=2)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
        yield Settings()


def test_an_unchecked_link_never_reaches_the_slack_thread(serve: Callable[..., SlackHarness], model: Settings) -> None:
    answerer = llm_answerer(FakeRetriever(), build_chat_model(model), FakeOffline(), model)
    h = serve(SlackServices(answerer=answerer))
    h.slack.event(dm("How do I share a vision with partners?"))
    h.api.wait_for("chat.stopStream")
    streamed = streamed_text(h.api)
    assert streamed.startswith("A leader shares a vision with partners and avoids dominating [1].")
    assert "https://evil.example" not in streamed and clickable_links(streamed, LinkPolicy()) == []
    for update in h.api.called("chat.update"):  # a replacement, if any, is checked too
        assert "https://evil.example" not in str(update)
