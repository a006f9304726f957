"""One composition root: what the evaluations measure is the object graph that Slack and the CLI serve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings, get_settings

MEMORY = "answerer._turns"  # the one part that differs by surface: the database for Slack, the process elsewhere


def graph(obj: Any, path: str = "answerer", seen: dict[int, str] | None = None) -> dict[str, str]:
    """Every dependency reachable from `obj` by attribute, as path -> type (and -> the path it is shared with)."""
    seen = {} if seen is None else seen
    if id(obj) in seen:
        return {path: f"same as {seen[id(obj)]}"}
    seen[id(obj)] = path
    kind = type(obj)
    out = {path: f"{kind.__module__}.{kind.__qualname__}"}
    if path == MEMORY or not kind.__module__.startswith("bot."):
        return out
    for name, value in sorted(vars(obj).items()):
        module = type(value).__module__
        if value is None:
            out[f"{path}.{name}"] = "None"
        elif module.startswith("bot.") or module.startswith("langchain"):
            out.update(graph(value, f"{path}.{name}", seen))
    return out


def without_memory(g: dict[str, str]) -> dict[str, str]:
    return {path: kind for path, kind in g.items() if path != MEMORY}


def served_by_slack(settings: Settings) -> Any:
    from bot.slack.wiring import build_services

    return build_services(settings).answerer


@pytest.fixture
def settings(guidance_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The default settings object, as in a served process: the shared index, a private database.
    monkeypatch.setenv("COACH_DATA_DIR", str(guidance_index))
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    get_settings.cache_clear()
    return get_settings()


def test_the_offline_evaluation_measures_the_graph_slack_and_the_cli_serve(settings: Settings) -> None:
    from bot import bootstrap
    from bot.cli.llm import eval_subject

    served = graph(served_by_slack(settings))
    evaluated, terminal = graph(eval_subject(settings, use_llm=False)), graph(bootstrap.answerer())
    assert without_memory(evaluated) == without_memory(served) == without_memory(terminal)
    assert served[MEMORY] == "bot.answering.memory.DatabaseTurnStore"
    assert evaluated[MEMORY] == terminal[MEMORY] == "bot.answering.memory.InMemoryTurnStore"
    assert served["answerer._fallback"] == "bot.answering.offline.OfflineAnswerer"
    assert served["answerer._scope"] == "bot.answering.scope.RuleScope"
    assert served["answerer._linker"] == "same as answerer._fallback.linker"  # one linker, handed in
    # One retriever behind the passages, the offline engine and the coverage rule.
    assert served["answerer._retriever"] == served["answerer._scope._retriever"] == \
        served["answerer._fallback._retriever"] == "same as answerer._fallback._composer._retriever"
    assert served["answerer._model"] == "None"


def test_the_model_evaluation_measures_the_graph_slack_serves_with_a_model(settings: Settings,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli.llm import eval_subject

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    get_settings.cache_clear()
    settings = get_settings()
    served = graph(served_by_slack(settings))
    assert without_memory(graph(eval_subject(settings, use_llm=True))) == without_memory(served)
    assert served["answerer._model"] == "langchain_openai.chat_models.base.ChatOpenAI"
    assert served["answerer._fallback"] == "bot.answering.offline.OfflineAnswerer"  # never an answerer in an answerer


def test_exercise_feedback_is_built_by_the_root_alike_for_slack_and_the_cli_on_the_answerers_model(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import bootstrap
    from bot.slack.wiring import build_services

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    get_settings.cache_clear()
    settings = get_settings()
    services = build_services(settings)
    assert services.coaching is not None
    slack_coach = services.coaching.feedback_coach
    cli_coach = bootstrap.build_exercise_feedback(settings)  # what `coach reflect` builds
    assert graph(slack_coach, "coach") == graph(cli_coach, "coach")
    assert slack_coach.uses_model and slack_coach._chain.last is services.answerer.chat_model  # one model, shared
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert not bootstrap.build_exercise_feedback(Settings(data_dir=settings.data_dir)).uses_model
