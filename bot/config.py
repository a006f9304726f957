"""One settings object. Explicit arguments win; then environment variables; then `.env`."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from platformdirs import user_cache_dir, user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    log_format: Literal["json", "text"] = Field(
        default="json", description="`coach serve` logs: one JSON object a line (with a request id per Slack "
        "event) or plain text.")
    chroma_url: str | None = Field(
        default=None, description="A Chroma server (`chroma run`), e.g. http://chroma:8000, shared by every "
        "worker and written by `coach ingest`; the embedded index in the data directory if unset.")

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
    local_runtime: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="How the local model runs: 'onnx' (ONNX Runtime, no PyTorch when serving; the ONNX file "
        "is exported once) or 'torch' (sentence-transformers).",
    )
    model_cache_dir: Path = Field(
        default_factory=lambda: Path(user_cache_dir("partnership-coach", appauthor=False)) / "models",
        description="Where the local model's ONNX export is kept, named by the model's identity.",
    )
    retrieval_k: int = Field(default=5, ge=1, le=50, description="Passages retrieved per question.")
    max_question_chars: int = Field(
        default=2000, ge=100, description="Longer questions are cut to this length, with a notice."
    )

    # Untrusted documents and links (see README, "Documents and links you did not write")
    max_document_bytes: int = Field(
        default=2_000_000, ge=1_000, description="`coach ingest` refuses files larger than this (bytes)."
    )
    trusted_documents: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Source ids (comma-separated) whose flagged passages (links, calls to action) may still be "
        "quoted; front matter `trusted: true` does the same for one document.",
    )
    link_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Web addresses or domains (comma-separated) that stay clickable in answers, besides those "
        "in the bundled guidance; every other address is shown defanged (hxxps://example[.]com).",
    )

    @field_validator("trusted_documents", "link_allowlist", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else value

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
    slack_client_id: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_ID", "COACH_SLACK_CLIENT_ID"),
        description="With SLACK_CLIENT_SECRET: install in many workspaces (OAuth), tokens kept in the database.")
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET", "COACH_SLACK_CLIENT_SECRET")
    )
    slack_redirect_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_REDIRECT_URI", "COACH_SLACK_REDIRECT_URI"),
        description="The OAuth Redirect URL registered with the app (https://YOUR-HOST/slack/oauth_redirect).")
    slack_guest_access: Literal["none", "ask", "full"] = Field(
        default="ask", description="What Slack guests (single- and multi-channel) may use: `ask` questions only, "
        "with nothing personal stored about them; `full` everything members can; `none` nothing (see docs/slack.md)."
    )
    slack_external_access: Literal["none", "ask", "full"] = Field(
        default="ask", description="The same for people from other organisations (Slack Connect): `ask`, `full` "
        "or `none` (see docs/slack.md)."
    )

    # Serving several workers
    inbox_lease_seconds: float = Field(
        default=30.0, ge=1, description="A worker that stops renewing its hold on the Slack deliveries it "
        "acknowledged for this long is taken for dead, and another worker does their work (see bot/storage/inbox.py)."
    )
    inbox_max_attempts: int = Field(
        default=3, ge=1, description="Runs of an acknowledged delivery's work (the first included) before it is "
        "given up, when it keeps failing or keeps killing its worker."
    )

    # Privacy
    retention_days: int = Field(
        default=365, ge=1, description="Free-text reflections and notes older than this are deleted."
    )
    turn_retention_days: int = Field(
        default=30, ge=1, description="Conversation turns (questions and answers kept as conversation memory) "
        "older than this are deleted: only as long as following a conversation needs them.",
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
    slack_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Slack member ids (comma-separated, e.g. U012AB3CD) of the admins who may "
        "give and take away the programme-manager role with `/coach managers`; operators use `coach managers`.",
    )

    @field_validator("slack_admins", mode="before")
    @classmethod
    def _slack_member_ids(cls, value: Any) -> Any:
        ids = [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else value
        for member in ids:
            if not isinstance(member, str) or not re.fullmatch(r"[UW][A-Z0-9]{1,30}", member):
                raise ValueError("each entry must be a Slack member id such as U012AB3CD (in Slack: the person's "
                                 "profile, ⋯, Copy member ID)")
        return ids

    # The privacy notice (UK GDPR Articles 13 and 14) names these; `coach my-data notice` warns while unset.
    controller_name: str | None = Field(
        default=None, description="The organisation responsible for the data (the controller), e.g. 'Kent County "
        "Council'.",
    )
    controller_contact: str | None = Field(
        default=None, description="How to reach the controller about this data (an address, e-mail or web page).",
    )
    dpo_contact: str | None = Field(
        default=None, description="The data protection officer's contact, if the organisation has one.",
    )
    lawful_basis: Literal["public_task", "legitimate_interests", "contract"] = Field(
        default="public_task", description="UK GDPR Article 6 basis named in the notice: public_task (6(1)(e), "
        "public authorities), legitimate_interests (6(1)(f), not for a public authority's tasks) or contract "
        "(6(1)(b)). Not consent: an employer, or an authority doing its own work, cannot rely on it here.",
    )
    model_provider: str | None = Field(
        default=None, description="Who runs the model at OPENAI_BASE_URL, named in the notice (e.g. 'Microsoft "
        "Azure OpenAI, UK South'); the endpoint's host name is shown if unset.",
    )
    pseudonym_secret: SecretStr | None = Field(
        default=None,
        description="HMAC key for pseudonyms (audit log after erasure), at least 16 characters. Set it, or "
        "pseudonym_secret_file, in production: if neither is set a random key is created once in the data "
        "directory (pseudonym.key), where whoever copies the database also gets the key.",
    )
    pseudonym_secret_file: Path | None = Field(
        default=None,
        description="A file holding the pseudonym key (e.g. a mounted secret), outside the data directory.",
    )

    # Who the coach points people to when a message is not for coaching (bot/coaching/safeguarding.py).
    support_employee_assistance: str = Field(
        default="your organisation's employee assistance programme (see your intranet)",
        description="Employee assistance contact shown for distress.")
    support_hr: str = Field(default="your HR team", description="HR contact for bullying, harassment and HR matters.")
    support_speak_up: str = Field(
        default="your organisation's freedom to speak up guardian or whistleblowing officer",
        description="Speak-up / whistleblowing contact.")
    support_monitoring_officer: str = Field(
        default="your council's monitoring officer", description="Monitoring officer contact.")
    support_safeguarding: str = Field(
        default="your organisation's designated safeguarding lead, or the local authority's safeguarding team",
        description="Safeguarding contact.")
    support_person: str = Field(
        default="the coaching programme's manager", description="Who 'talk to a person' reaches.")

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
