"""On any model failure the user gets the offline answer with a one-line notice; retries and the breaker."""

from __future__ import annotations

import logging

import pytest

from bot.answering.llm import FALLBACK_NOTICE
from bot.config import Settings
from bot.llm.breaker import CircuitBreaker
from bot.llm.provider import build_chat_model
from tests.llm.conftest import FakeOffline, FakeRetriever, llm_answerer
from tests.llm.fake_openai import FakeOpenAI, Reply

QUESTION = "How do I lead without dominating my partners?"


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param([Reply(status=500)] * 3, id="server-error-each-time"),
        pytest.param([Reply(status=429, headers={"retry-after": "0"})] * 3, id="rate-limited-each-time"),
        pytest.param([Reply(status=400)], id="bad-request"),
        pytest.param([Reply(status=401)], id="bad-key"),
        pytest.param([Reply(malformed=True)], id="malformed-stream"),
        pytest.param([Reply(delay=3)], id="slow-first-byte"),
        pytest.param([Reply(stall_after=2)], id="stalled-stream"),
    ],
)
def test_a_failing_model_gives_the_offline_answer_with_a_notice(fake_openai: FakeOpenAI, make_answerer,  # type: ignore[no-untyped-def]
                                                                failure: list[Reply]) -> None:
    fake_openai.then(*failure)
    fallback = FakeOffline()
    answer = make_answerer(fallback=fallback).answer(QUESTION)
    assert answer.mode == "fallback"
    assert answer.notice == FALLBACK_NOTICE
    assert answer.text == fallback.answer(QUESTION).text
    assert answer.meta["failure"]


@pytest.mark.parametrize("failure", [Reply(status=500), Reply(status=429, headers={"retry-after": "0.05"}),
                                     Reply(status=503, headers={"retry-after-ms": "10"})])
def test_a_passing_failure_is_retried_and_the_model_answers(fake_openai: FakeOpenAI, make_answerer,  # type: ignore[no-untyped-def]
                                                            failure: Reply) -> None:
    fake_openai.then(failure)
    answer = make_answerer().answer(QUESTION)
    assert answer.mode == "llm"
    assert len(fake_openai.chat_requests()) == 2
    assert answer.meta["usage"]["retries"] == 1


def test_retry_after_is_honoured(fake_openai: FakeOpenAI, make_answerer) -> None:  # type: ignore[no-untyped-def]
    fake_openai.then(Reply(status=429, headers={"retry-after": "0.3"}))
    assert make_answerer().answer(QUESTION).mode == "llm"
    first, second = fake_openai.chat_requests()
    assert second.at - first.at >= 0.3


def test_a_retry_after_beyond_the_deadline_is_not_waited_for(fake_openai: FakeOpenAI, make_answerer) -> None:  # type: ignore[no-untyped-def]
    fake_openai.then(Reply(status=429, headers={"retry-after": "30"}))
    answer = make_answerer().answer(QUESTION)
    assert answer.mode == "fallback"
    assert len(fake_openai.chat_requests()) == 1


def test_retries_stop_at_the_configured_number(fake_openai: FakeOpenAI, llm_settings: Settings, make_answerer) -> None:  # type: ignore[no-untyped-def]
    fake_openai.then(*[Reply(status=500)] * 5)
    make_answerer(settings=llm_settings.model_copy(update={"llm_max_retries": 1})).answer(QUESTION)
    assert len(fake_openai.chat_requests()) == 2


def test_the_breaker_opens_after_repeated_failures_and_the_model_is_left_alone(  # type: ignore[no-untyped-def]
        fake_openai: FakeOpenAI, llm_settings: Settings, make_answerer) -> None:
    fake_openai.default = Reply(status=400)  # not retried: one request per failed answer
    breaker = CircuitBreaker(failure_threshold=3, reset_after=60)
    answerer = make_answerer(breaker=breaker)
    for _ in range(3):
        assert answerer.answer(QUESTION).mode == "fallback"
    assert breaker.state == "open"
    answer = answerer.answer(QUESTION)
    assert answer.mode == "fallback" and "circuit open" in answer.meta["failure"]
    assert len(fake_openai.chat_requests()) == 3


def test_the_breaker_lets_one_trial_through_after_the_wait_and_closes_on_success() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, reset_after=10, clock=lambda: now[0])
    breaker.record_failure()
    breaker.record_failure()
    assert (breaker.state, breaker.allow()) == ("open", False)
    now[0] = 10.0
    assert breaker.allow() and not breaker.allow()  # one trial at a time
    breaker.record_failure()
    assert breaker.state == "open"  # a failed trial restarts the wait
    now[0] = 20.0
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow()


def test_without_a_model_configured_the_coach_answers_offline_and_says_so_once(  # type: ignore[no-untyped-def]
        caplog: pytest.LogCaptureFixture) -> None:
    import bot.llm.provider as provider

    provider._announced.clear()
    settings = Settings()
    with caplog.at_level(logging.INFO, logger="bot.llm.provider"):
        assert build_chat_model(settings) is None
        answerer = llm_answerer(FakeRetriever(), None, FakeOffline(), settings)
        answer = answerer.answer(QUESTION)
    assert answer.mode == "offline" and answer.notice is None
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "answering offline" in caplog.records[0].message


def test_the_breaker_counts_each_opening_and_closing_once() -> None:
    from prometheus_client import REGISTRY

    def changes(state: str) -> float:
        return REGISTRY.get_sample_value("coach_llm_breaker_changes_total", {"state": state}) or 0.0

    opened, closed = changes("open"), changes("closed")
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, reset_after=10, clock=lambda: now[0])
    breaker.record_success()  # closed already: no change
    for _ in range(3):  # opens at the second failure; the third finds it open
        breaker.record_failure()
    now[0] = 10.0
    assert breaker.allow()
    breaker.record_failure()  # a failed trial keeps it open
    now[0] = 20.0
    assert breaker.allow()
    breaker.record_success()
    breaker.record_success()
    assert (changes("open") - opened, changes("closed") - closed) == (1, 1)
