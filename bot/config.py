"""One settings object. Explicit arguments win; then environment variables; then `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    # A checkout with ./data already in it keeps using it; otherwise the per-user data dir.
    local = Path.cwd() / "data"
    return local if local.is_dir() else Path(user_data_dir("partnership-coach", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COACH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default_factory=_default_data_dir, description="Index and database live here.")
    knowledge_dir: Path | None = Field(
        default=None, description="Documents `coach ingest` reads by default (the bundled guidance if unset)."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; SQLite in the data directory if unset. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    log_level: str = Field(default="WARNING", description="Python logging level.")

    # Retrieval
    embedding_backend: Literal["local", "openai"] = Field(
        default="local", description="'local' (all-MiniLM-L6-v2, offline) or 'openai' (OpenAI embeddings)."
    )
    openai_embedding_model: str = Field(
        default="text-embedding-3-small", description="Embedding model when the backend is 'openai'."
    )
    torch_threads: int = Field(
        default=1,
        ge=1,
        description="CPU threads for the local model. One is fastest for single queries on a shared "
        "2-core machine; oversubscription made queries 20x slower in our trials.",
    )
    retrieval_k: int = Field(default=5, ge=1, le=50, description="Passages retrieved per question.")
    max_question_chars: int = Field(
        default=2000, ge=100, description="Longer questions are cut to this length, with a notice."
    )

    # LLM (OpenAI-compatible); no key means the offline answerer.
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "COACH_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "COACH_OPENAI_BASE_URL"),
        description="Any OpenAI-compatible endpoint (Azure, Ollama, vLLM, llama.cpp).",
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Chat model name.")
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_max_tokens: int = Field(default=500, ge=16)
    llm_timeout: float = Field(default=20.0, gt=0, description="Seconds before falling back offline.")
    llm_max_retries: int = Field(default=2, ge=0)
    llm_breaker_failures: int = Field(
        default=3, ge=1, description="Consecutive model failures after which the coach stops calling it a while."
    )
    llm_breaker_reset: float = Field(
        default=30.0, gt=0, description="Seconds the model is left alone after the breaker opens, before one trial."
    )

    # Slack
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "COACH_SLACK_BOT_TOKEN")
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "COACH_SLACK_APP_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "COACH_SLACK_SIGNING_SECRET")
    )
    slack_api_url: str | None = Field(default=None, description="Slack Web API base URL (tests point it locally).")

    # Privacy
    retention_days: int = Field(
        default=365, ge=1, description="Free-text reflections and notes older than this are deleted."
    )
    trends_min_cohort: int = Field(
        default=5, ge=5, description="Trends show no figure fewer people than this stand behind (5 at least)."
    )
    trends_period: Literal["quarter", "month"] = Field(
        default="quarter", description="The one granularity of published trends (a month inside a published "
        "quarter is never published, so periods cannot be subtracted from each other)."
    )
    trends_epsilon: float = Field(
        default=1.0, gt=0, le=4, description="Differential-privacy ε per rating for the noise on published trend "
        "means: lower is more private and noisier."
    )
    pseudonym_secret: SecretStr | None = Field(
        default=None,
        description="HMAC key for pseudonyms (audit log after erasure). If unset, a random key is created "
        "once in the data directory (pseudonym.key).",
    )

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'coach.db'}"

    @property
    def llm_configured(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None

    def masked(self) -> dict[str, Any]:
        """The effective settings for display, with secrets masked."""
        shown: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                raw = value.get_secret_value()
                value = f"{raw[:4]}…(set)" if len(raw) > 8 else "…(set)"
            elif name == "database_url" and value and "@" in value:
                value = _mask_url_password(value)
            shown[name] = value if value is None or isinstance(value, int | float | bool) else str(value)
        shown["database_url (effective)"] = _mask_url_password(self.effective_database_url)
        shown["index_dir"] = str(self.index_dir)
        return shown


def _mask_url_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable URL)"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
