"""`/coach <subcommand> …`: kept in the inbox, then acknowledged (forms open from the ack, see bot/slack/modals.py);
the rest after it, by this worker or, if it dies, by another (bot/slack/durable.py).

A rerun does not open a form: the trigger id expired 3 s after the command. If the first run's form had not
finished opening, the rerun tells the person to run the command again. Replies are steps sent once (once.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.slack.admission import asker, may_keep
from bot.slack.durable import durably, keep
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
from bot.slack.once import Once
from bot.slack.people import person_of
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand

Handler = Callable[[SlackServices, SlashCommand, WebClient], None]
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
# Subcommands that open a form: the form is opened from the ack, before anything else can delay it.
FORMS = {"assess": assess.open_form, "forget-me": forget_me.open_form, "remembers": remembers.open_form}
# Subcommands that store something about the person: for members, or where the policy allows (standing.py).
PERSONAL = {"assess": "a self-assessment", "reflect": "a reflective exercise", "weekly": "a weekly prompt",
            "trends": "cohort trends", "pause": "a pause of weekly prompts", "resume": "weekly prompts"}


def register(app: App, services: SlackServices) -> None:
    app.command("/coach")(ack=partial(acknowledge, services),
                          lazy=[durably(services, partial(run_subcommand, services))])


def parse(text: str) -> tuple[str, str]:
    """('ask', 'how do I…') from 'ask how do I…'; ('help', '') from ''."""
    name, _, rest = (text or "").strip().partition(" ")
    return (name.lower() or "help"), rest.strip()


def slash_command(command: dict, context: BoltContext, respond: Respond | None, once: Once | None = None
                  ) -> SlashCommand:
    name, rest = parse(command.get("text", ""))
    return SlashCommand(person=person_of(context), user_id=command["user_id"], channel_id=command.get("channel_id"),
                        trigger_id=command.get("trigger_id"), name=name, rest=rest, respond=respond, once=once)


def acknowledge(services: SlackServices, ack: Ack, command: dict, context: BoltContext, client: WebClient,
                respond: Respond) -> None:
    keep(services, command, context)
    invocation = slash_command(command, context, respond)
    if invocation.name == "ask" and invocation.rest:
        ack(text="Looking into it: the answer will arrive in your DM with me.", response_type="ephemeral")
        return
    ack()
    if invocation.name in FORMS:
        opening = FORMS[invocation.name](services, invocation, client, context)
        once = Once(services.ledger, context)
        if opening is not None:  # opened, or its failure said: a rerun has nothing to say about it
            opening.add_done_callback(lambda _: once.mark("form"))


def run_subcommand(services: SlackServices, body: dict, context: BoltContext, client: WebClient) -> None:
    once = Once(services.ledger, context)
    invocation = slash_command(body, context, context.respond if body.get("response_url") else None, once)
    name = invocation.name
    if name in FORMS and once.rerun and once.missed("form"):
        invocation.reply(client, f"Sorry, I was interrupted before your form opened. Please run `/coach {name}` "
                                 "again.")
        return
    if name in PERSONAL:
        # A form's own path has told them already (it opens nothing for them): say it once.
        tell = (lambda text: None) if name in FORMS else (lambda text: invocation.reply(client, text))
        if not may_keep(services, client, context, tell, PERSONAL[name]):
            return
    if name == "ask":
        person, refused = asker(services, client, context)
        if refused:
            invocation.reply(client, refused)
            return
        invocation = replace(invocation, keep=person is not None)
    SUBCOMMANDS.get(name, usage.run)(services, invocation, client)
