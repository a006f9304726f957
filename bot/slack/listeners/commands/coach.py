"""`/coach <subcommand> …`: ack at once, then run the subcommand's handler after the ack."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.listeners.commands import (
    ask,
    assess,
    forget_me,
    managers,
    my_data,
    pause,
    privacy,
    reflect,
    remembers,
    trends,
    usage,
    weekly,
    what_managers_see,
)
from bot.slack.services import SlackServices

Handler = Callable[[SlackServices, dict, str, WebClient], None]
SUBCOMMANDS: dict[str, Handler] = {
    "ask": ask.run,
    "assess": assess.run,
    "help": usage.run,
    "reflect": reflect.run,
    "weekly": weekly.run,
    "my-data": my_data.run,
    "forget-me": forget_me.run,
    "privacy": privacy.run,
    "trends": trends.run,
    "managers": managers.run,
    "pause": pause.run_pause,
    "remembers": remembers.run,
    "resume": pause.run_resume,
    "what-managers-see": what_managers_see.run,
}


def register(app: App, services: SlackServices) -> None:
    app.command("/coach")(ack=acknowledge, lazy=[partial(run_subcommand, services)])


def parse(text: str) -> tuple[str, str]:
    """('ask', 'how do I…') from 'ask how do I…'; ('help', '') from ''."""
    name, _, rest = (text or "").strip().partition(" ")
    return (name.lower() or "help"), rest.strip()


def acknowledge(ack: Ack, command: dict) -> None:
    name, rest = parse(command.get("text", ""))
    if name == "ask" and rest:
        ack(text="Looking into it: the answer will arrive in your DM with me.", response_type="ephemeral")
    else:
        ack()


def run_subcommand(services: SlackServices, command: dict, client: WebClient) -> None:
    name, rest = parse(command.get("text", ""))
    SUBCOMMANDS.get(name, usage.run)(services, command, rest, client)
