"""`/coach managers grant @person [cohort, cohort]`, `/coach managers revoke @person`, `/coach managers list`:
the Slack admins named in COACH_SLACK_ADMINS give and take away the programme-manager role (audited under them);
anyone else is refused, and the attempt is audited.

A person is named by mention (`<@U012AB3CD>` when the command escapes mentions) or by their Slack member id."""

from __future__ import annotations

import re

from slack_sdk import WebClient

from bot.coaching.roles import Administrator, grant_manager, managers, revoke_manager
from bot.errors import CoachError, NotPermittedError
from bot.slack.escaping import escape_for_slack
from bot.slack.people import person_id, slack_user
from bot.slack.services import SlackServices
from bot.slack.slash import SlashCommand

MEMBER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|([UW][A-Z0-9]+)", re.ASCII)
USAGE = ("Use `/coach managers grant @person [cohort, cohort]` (no cohorts: the whole programme), "
         "`/coach managers revoke @person` or `/coach managers list`; name the person by mention or Slack member id.")


def parse(rest: str) -> tuple[str, str | None, list[str]]:
    """('grant', 'U012AB3CD', ['Kent', 'Essex']) from 'grant <@U012AB3CD|ann> Kent, Essex'."""
    verb, _, more = rest.strip().partition(" ")
    more = more.strip()
    found = MEMBER.match(more)
    if found is None or (found.end() < len(more) and not more[found.end()].isspace()):
        return verb.lower(), None, []
    cohorts = more[found.end():]
    return verb.lower(), found.group(1) or found.group(2), [c.strip() for c in cohorts.split(",") if c.strip()]


def run(services: SlackServices, command: SlashCommand, client: WebClient) -> None:
    coaching = services.coaching
    if coaching is None:
        command.reply(client, "Roles cannot be changed on this coach (no database configured).")
        return
    org = _org(command.person)  # people are named within the same Grid organisation or workspace as the admin
    admin = Administrator(command.person,
                          frozenset(person_id(org, member) for member in coaching.settings.slack_admins))
    verb, member, cohorts = parse(command.rest)
    try:
        if verb == "list":
            if not admin.allowed:
                raise NotPermittedError("Only the Slack admins named in COACH_SLACK_ADMINS can see who the "
                                        "programme managers are here.")
            found = managers(coaching.db.uow())
            lines = [f"• {_mention(r.user_id)}: {escape_for_slack(r.scope)}" for r in found]
            command.reply(client, "*Programme managers*\n" + ("\n".join(lines) or "None yet."))
            return
        if verb not in ("grant", "revoke") or member is None:
            command.reply(client, USAGE)
            return
        subject = person_id(org, member)
        if verb == "grant":
            role = grant_manager(coaching.db.uow(), admin, subject, cohorts)
            command.reply(client, f"<@{member}> is a programme manager and sees {escape_for_slack(role.scope)}.")
        else:
            revoke_manager(coaching.db.uow(), admin, subject)
            command.reply(client, f"<@{member}> is no longer a programme manager.")
    except NotPermittedError as exc:
        command.reply(client, escape_for_slack(str(exc)))
    except CoachError as exc:
        command.reply(client, f"Nothing was changed: {escape_for_slack(str(exc))}")


def _org(person: str) -> str | None:
    found = slack_user(person)
    return found[0] if found else None


def _mention(person: str) -> str:
    found = slack_user(person)
    return f"<@{found[1]}>" if found else f"`{escape_for_slack(person[:100])}`"
