"""The manifest and the app agree: every subscribed event and the slash command are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.slack.conftest import SlackHarness

MANIFEST = yaml.safe_load((Path(__file__).parents[2] / "manifest.yml").read_text(encoding="utf-8"))
SAMPLE_EVENTS = {
    "app_home_opened": {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"},
    "app_mention": {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1.1", "text": "<@UBOT> hi"},
    "assistant_thread_context_changed": {"type": "assistant_thread_context_changed", "assistant_thread": {
        "user_id": "U1", "channel_id": "D1", "thread_ts": "1.2", "context": {"channel_id": "C5", "team_id": "T1"}}},
    "app_uninstalled": {"type": "app_uninstalled"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}},
    "message.im": {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": "1.3",
                   "text": "hello"},
}


@pytest.mark.parametrize("event_name", MANIFEST["settings"]["event_subscriptions"]["bot_events"])
def test_every_subscribed_event_is_acknowledged(harness: SlackHarness, event_name: str) -> None:
    reply = harness.slack.event(SAMPLE_EVENTS[event_name])
    assert reply.status == 200, reply.body


def test_manifest_declares_the_coach_command_with_socket_mode_on() -> None:
    assert [c["command"] for c in MANIFEST["features"]["slash_commands"]] == ["/coach"]
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_the_manifest_uses_the_agent_messaging_experience_not_the_legacy_assistant_view() -> None:
    features = MANIFEST["features"]
    assert "assistant_view" not in features and features["agent_view"]["agent_description"]
    assert features["app_home"]["messages_tab_enabled"] is True
    assert "assistant_thread_started" not in MANIFEST["settings"]["event_subscriptions"]["bot_events"]


def test_messages_tab_opening_offers_suggested_prompts_at_the_top_of_the_tab(harness: SlackHarness) -> None:
    harness.slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"})
    offered = harness.api.wait_for("assistant.threads.setSuggestedPrompts")[0]
    assert offered["channel_id"] == "D1" and "thread_ts" not in offered  # the tab itself, not a thread
    assert len(offered["prompts"]) >= 2 and all(p["message"] for p in offered["prompts"])
