"""The Slack Web API client: one place for the base URL and the retry policy."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.config import Settings

DEFAULT_API_URL = "https://slack.com/api/"


def build_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient that waits out 429s (honouring Retry-After) and retries dropped connections."""
    base_url = settings.slack_api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"  # the SDK joins method names onto it
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=15,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1), RateLimitErrorRetryHandler(max_retry_count=3)],
    )
