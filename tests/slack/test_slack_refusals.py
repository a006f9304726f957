"""The fake Web API refuses what Slack refuses, and the app copes as it must with real Slack."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack.conftest import SlackHarness
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.test_asking import dm


def client(fake: FakeSlackAPI) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.url)


def refusal(call: object) -> str:
    with pytest.raises(SlackApiError) as refused:
        call()  # type: ignore[operator]
    return str(refused.value.response["error"])


def test_a_slash_command_in_a_private_channel_without_the_bot_is_answered_where_it_was_run(
        harness: SlackHarness) -> None:
    harness.slack.command("help", channel="GPRIVATE")
    [reply] = harness.api.wait_for("response_url")
    assert reply["response_type"] == "ephemeral" and "/coach assess" in reply["text"]
    assert harness.api.called("chat.postEphemeral") == [] and harness.api.called("chat.postMessage") == []


def test_when_the_response_url_is_used_up_the_reply_goes_to_the_dm(harness: SlackHarness) -> None:
    url = harness.api.response_url()
    for _ in range(5):
        urllib.request.urlopen(urllib.request.Request(url, data=b'{"text": "x"}', method="POST",
                                                      headers={"Content-Type": "application/json"}))
    harness.slack.response_urls = lambda: url
    harness.slack.command("help", channel="GPRIVATE")
    [dm_reply] = harness.api.wait_for("chat.postMessage")
    assert dm_reply["channel"] == "D1" and "/coach assess" in dm_reply["text"]


def test_a_response_url_takes_five_replies_then_refuses(fake_slack: FakeSlackAPI) -> None:
    url = fake_slack.response_url()
    post = urllib.request.Request(url, data=b'{"text": "hi"}', method="POST",
                                  headers={"Content-Type": "application/json"})
    assert [urllib.request.urlopen(post).status for _ in range(5)] == [200] * 5
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(post)
    assert (refused.value.code, refused.value.read()) == (404, b"used_url")


def test_posting_in_a_channel_the_bot_is_not_in_is_channel_not_found(fake_slack: FakeSlackAPI) -> None:
    assert refusal(lambda: client(fake_slack).chat_postMessage(channel="GPRIVATE", text="hi")) == "channel_not_found"
    assert client(fake_slack).chat_postMessage(channel="C1", text="hi")["ok"]


def test_a_mention_in_a_channel_the_bot_cannot_post_in_is_logged_and_the_app_keeps_serving(
        harness: SlackHarness) -> None:
    harness.slack.event({"type": "app_mention", "channel": "CGONE", "user": "U2", "ts": "1700000500.000100",
                         "text": "<@UBOT> how do partnerships work?"})
    harness.api.wait_for("chat.postMessage")
    assert [r["error"] for _, r in harness.api.exchanges("chat.postMessage")] == ["channel_not_found"]
    harness.slack.event(dm("still there?", ts="1700000600.000100"))
    harness.api.wait_for("chat.stopStream")


def test_methods_called_too_fast_get_429_and_the_apps_client_waits_and_retries(fake_slack: FakeSlackAPI) -> None:
    from bot.slack.client import build_client
    from tests.slack.conftest import slack_settings

    fake_slack.pace("chat.postMessage", calls=1, per=1.0)
    app_client = build_client(slack_settings(fake_slack), "xoxb-test")  # what the app (and Bolt's copies) use
    for text in ("one", "two", "three"):
        assert app_client.chat_postMessage(channel="C1", text=text)["ok"]
    replies = [r for _, r in fake_slack.exchanges("chat.postMessage")]
    assert [r["message"]["text"] for r in replies if r.get("ok")] == ["one", "two", "three"]
    assert len([r for r in replies if r.get("error") == "ratelimited"]) >= 2


def test_an_image_of_a_file_shared_with_nobody_is_refused_and_shared_in_the_dm_it_is_shown(
        fake_slack: FakeSlackAPI) -> None:
    web = client(fake_slack)
    private = web.files_upload_v2(content=b"\x89PNG", filename="chart.png")["files"][0]["id"]
    image = {"type": "image", "slack_file": {"id": private}, "alt_text": "a chart"}
    home = {"type": "home", "blocks": [image]}
    assert refusal(lambda: web.views_publish(user_id="U1", view=home)) == "invalid_blocks"
    shared = web.files_upload_v2(content=b"\x89PNG", filename="chart.png", channel="D1")["files"][0]["id"]
    assert web.views_publish(user_id="U1", view={"type": "home", "blocks": [
        {**image, "slack_file": {"id": shared}}]})["ok"]
    assert refusal(lambda: web.views_publish(user_id="U2", view={"type": "home", "blocks": [
        {**image, "slack_file": {"id": shared}}]})) == "invalid_blocks"  # U2 cannot see U1's DM


@pytest.mark.parametrize("blocks", [
    [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
    [{"type": "divider"}] * 51,
    [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
    [{"type": "actions", "elements": [{"type": "static_select", "action_id": "a", "options": [
        {"text": {"type": "plain_text", "text": "o" * 76}, "value": "1"}]}]}],
    [{"type": "no_such_block"}],
])
def test_blocks_over_block_kit_limits_are_invalid_blocks(fake_slack: FakeSlackAPI, blocks: list) -> None:
    assert refusal(lambda: client(fake_slack).chat_postMessage(channel="C1", text="t", blocks=blocks)) \
        == "invalid_blocks"


def test_a_modal_title_over_24_characters_is_invalid_blocks(fake_slack: FakeSlackAPI) -> None:
    from tests.slack.signed import trigger_id

    view = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": [{"type": "divider"}]}
    assert refusal(lambda: client(fake_slack).views_open(trigger_id=trigger_id(), view=view)) == "invalid_blocks"
