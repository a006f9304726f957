"""`coach people merge-ids`: an operator gives everyone in a Slack organisation their one id, moving the rows
stored under their own workspace's id before one person had one id (see bot/slack/identity.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.coaching_common import console, database
from bot.cli.coaching_views import safe
from bot.cli.trends import people_app


@people_app.command("merge-ids")
def merge_ids(
    org: Annotated[str, typer.Option(help="The Enterprise Grid organisation id (E…), or the workspace (T…) the "
                                          "app is installed in without Grid.")],
    team: Annotated[list[str] | None, typer.Option(help="Only ids under this workspace (repeat for more); "
                                                        "without it, every workspace the app is not installed in."
                                                   )] = None,
) -> None:
    """Move each person's rows from `slack:<workspace>:<user>` to `slack:<org>:<user>` (one transaction per
    person; running it again moves nothing). Ids under workspaces the app is installed in are left alone."""
    from bot.cli.operator import operator_id
    from bot.slack.identity import merge_organisation

    done = merge_organisation(database().uow, org, teams=set(team) if team else None,
                              actor=operator_id())
    console.print(f"{done['people']} people in {safe(org)} had rows under earlier ids; {done['rows']} rows moved.")
