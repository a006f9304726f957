"""One `/coach` command as its handlers see it: who ran it (the canonical person id), where, and how to answer.

Replies go through the command's `response_url` (Bolt's `respond`): Slack shows them to the person who ran the
command in whatever conversation they ran it in, private channels and group DMs without the bot included, where
`chat.postEphemeral` fails. A response URL takes five replies within 30 minutes; when it refuses (or Slack cannot
be reached) the reply goes to the person's DM with the coach instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.slack.limits import fit_message
from bot.slack.once import Once
from bot.slack.replies import dm

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlashCommand:
    person: str  # bot.slack.people.person_of: the same id as from this person's events, clicks and forms
    user_id: str
    channel_id: str | None
    trigger_id: str | None
    name: str  # the subcommand, lower case ("help" when none was given)
    rest: str  # what followed it
    respond: Respond | None = None
    keep: bool = True  # False: nothing personal may be stored for them (bot/slack/standing.py)
    once: Once | None = None  # the command is kept in the inbox: replies a rerun must not send again
    _replies: count = field(default_factory=count, compare=False, repr=False)

    def reply(self, client: WebClient, text: str, blocks: list[dict] | None = None) -> None:
        """A reply only the person who ran the command sees, where they ran it (else in their DM)."""
        messages = fit_message(blocks) if blocks else [None]
        for chunk in messages:
            def send(chunk: list[dict] | None = chunk) -> None:
                if not self._respond(text, chunk):
                    dm(client, self.user_id, text, chunk)
            if self.once is None:
                send()
            else:  # numbered in the order the work makes them: a rerun takes the same path up to its first send
                self.once(f"reply:{next(self._replies)}", send)

    def step(self, name: str, send: Callable[[], object]) -> None:
        """Something sent to Slack other than a reply (a file, an exercise in their DM): once, like replies."""
        if self.once is None:
            send()
        else:
            self.once(name, send)

    def _respond(self, text: str, blocks: list[dict] | None) -> bool:
        if self.respond is None or not self.respond.response_url:
            return False
        try:
            response = self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
        except OSError as exc:  # Slack unreachable
            log.info("response_url unreachable (%s); replying by DM", type(exc).__name__)
            return False
        if response.status_code != 200:  # expired_url, used_url (5 replies), no_text…
            log.info("response_url refused the reply (%s %s); replying by DM", response.status_code, response.body)
            return False
        return True
