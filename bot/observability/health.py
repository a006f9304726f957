"""Readiness: can this process serve? The database answers, the index is readable, the model (when one is
configured) is reachable. `/readyz` and `coach doctor` run the same checks; each says what is wrong in one line,
naming the setting to look at, never a secret's value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.storage import Database

MODEL_TIMEOUT = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run(name: str, probe: Callable[[], str]) -> Check:
    """`probe` returns what it found; any exception is the failure, described by the coach's own message."""
    try:
        return Check(name, True, probe())
    except Exception as exc:
        from bot.errors import CoachError

        detail = str(exc) if isinstance(exc, CoachError) else f"{type(exc).__name__}: {_first_line(exc)}"
        return Check(name, False, detail)


def database_probe(db: Database) -> Callable[[], str]:
    def probe() -> str:
        db.ping()
        return f"{db.backend} at {db.url} answers"
    return probe


def index_probe(settings: Settings) -> Callable[[], str]:
    """Opens the live collection as a new worker would (on the Chroma server, or embedded: ingest's snapshot of
    it when there is one, so a worker's /readyz does not load Chroma either) and counts it."""
    def probe() -> str:
        from bot.retrieval.embeddings import LOCAL_MODEL_NAME
        from bot.retrieval.snapshot import open_for_search

        # The model's name is enough to check the index was built with it; the model itself is not loaded.
        name = LOCAL_MODEL_NAME if settings.embedding_backend == "local" else \
            f"openai/{settings.openai_embedding_model}"
        count = open_for_search(settings.index_dir, name, settings.chroma_url).count()
        if not count:
            from bot.errors import IndexMissingError

            raise IndexMissingError("the live collection is empty")
        return f"{count} records in {settings.chroma_url or settings.index_dir}"
    return probe


def model_probe(settings: Settings) -> Callable[[], str]:
    """GET /models on the OpenAI-compatible endpoint with the configured key: reachable and accepting the key."""
    def probe() -> str:
        import httpx

        base = (settings.openai_base_url or "https://api.openai.com/v1").rstrip("/")
        headers = {}
        if settings.openai_api_key is not None:
            headers["Authorization"] = f"Bearer {settings.openai_api_key.get_secret_value()}"
        response = httpx.get(f"{base}/models", headers=headers, timeout=MODEL_TIMEOUT)
        if response.status_code in (401, 403):
            raise RuntimeError(f"the endpoint refused the key (HTTP {response.status_code}): check OPENAI_API_KEY")
        if response.status_code >= 400:
            raise RuntimeError(f"HTTP {response.status_code} from {httpx.URL(base).host}: check OPENAI_BASE_URL")
        return f"{httpx.URL(base).host} answers"
    return probe


def readiness(settings: Settings, db: Database) -> list[Check]:
    return [run("database", database_probe(db)), *beyond_database(settings)]


def beyond_database(settings: Settings) -> list[Check]:
    checks = [run("index", index_probe(settings))]
    if settings.llm_configured:
        checks.append(run("model", model_probe(settings)))
    return checks


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else ""
