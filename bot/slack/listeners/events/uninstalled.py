"""The app uninstalled from a workspace, or its tokens revoked: that workspace's installation is removed (many
workspaces) and its people's weekly prompts stop, since nothing can reach them there any more.

Their data is not erased by this: see docs/slack.md ("Uninstalling"), the operator erases on request and
retention applies as before.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk.oauth.installation_store import InstallationStore

from bot.coaching.weekly import unsubscribe_where
from bot.errors import CoachError
from bot.slack.durable import durably, keep_then_ack
from bot.slack.people import slack_user
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    store = app.installation_store  # None in single-token mode: there is no installation to remove
    keeping = partial(keep_then_ack, services)
    app.event("app_uninstalled")(ack=keeping, lazy=[durably(services, partial(app_uninstalled, services, store))])
    app.event("tokens_revoked")(ack=keeping, lazy=[durably(services, partial(tokens_revoked, services, store))])


def app_uninstalled(services: SlackServices, store: InstallationStore | None, body: dict,
                    context: BoltContext) -> None:
    if store is not None:
        store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
    stop_weekly_prompts(services, store, context)


def tokens_revoked(services: SlackServices, store: InstallationStore | None, body: dict, event: dict,
                   context: BoltContext) -> None:
    tokens = event.get("tokens") or {}
    if store is not None:
        for user_id in tokens.get("oauth") or []:
            store.delete_installation(enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id)
        if tokens.get("bot"):
            store.delete_bot(enterprise_id=context.enterprise_id, team_id=context.team_id)
    if tokens.get("bot"):  # without the bot token nothing more can be sent there
        stop_weekly_prompts(services, store, context)


def stop_weekly_prompts(services: SlackServices, store: InstallationStore | None, context: BoltContext) -> None:
    """The people of the workspace (or of the whole Grid organisation, if no install is left in it)."""
    workspaces = {context.team_id} - {None}
    enterprise = context.enterprise_id
    if enterprise and (context.is_enterprise_install or store is None
                       or store.find_bot(enterprise_id=enterprise, team_id=None, is_enterprise_install=True) is None):
        workspaces.add(enterprise)
    if services.coaching is None or not workspaces:
        return

    def belongs(person: str) -> bool:
        who = slack_user(person)
        return who is not None and who[0] in workspaces

    try:
        stopped = unsubscribe_where(services.coaching.db.uow(), belongs)
    except CoachError as exc:  # the delivery loop stops them anyway when it finds no installation
        log.warning("weekly prompts of an uninstalled workspace not stopped now: %s", exc)
        return
    log.info("app removed from a workspace: weekly prompts stopped for %d people", len(stopped))
