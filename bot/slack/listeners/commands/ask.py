"""`/coach ask <question>`: the question goes to the user's DM with the coach and is answered in its thread."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.asking import answer_in_thread
from bot.slack.delivery import Thread
from bot.slack.escaping import escape_for_slack
from bot.slack.replies import open_dm
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    question = command.rest
    if not question:
        command.reply(client, "Ask me something after `/coach ask`, e.g. `/coach ask how do I share leadership?`")
        return
    user = command.user_id

    def ask_in_dm() -> None:
        channel = open_dm(client, user)
        if channel is None:
            return
        posted = client.chat_postMessage(channel=channel, text=f"You asked: {escape_for_slack(question)}")
        thread = Thread(channel, posted["ts"], user, person=command.person if command.keep else None)
        answer_in_thread(services, client, thread, question, posted["ts"])

    # One step: a rerun after a worker died mid-answer asks again in a new thread, whole.
    command.step("question", ask_in_dm)
