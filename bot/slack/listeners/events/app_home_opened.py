"""Opening the app: the Messages tab (the agent messaging experience) offers suggested prompts; the Home tab
shows the dashboard."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.history import forget_published_chart
from bot.errors import CoachError
from bot.slack.blocks.home import home_view
from bot.slack.durable import durably, keep_then_ack
from bot.slack.home import home_chart, home_data
from bot.slack.limits import fit_view
from bot.slack.people import person_of
from bot.slack.services import SlackServices
from bot.slack.uploads import delete_recorded

log = logging.getLogger(__name__)

PROMPTS_TITLE = "Ask about leading partnerships"
SUGGESTED_PROMPTS = [
    {"title": "Leading without control", "message": "How do I lead partners I have no authority over?"},
    {"title": "Avoiding domination", "message": "How can a large partner avoid dominating the partnership?"},
    {"title": "Does it add value?", "message": "How do I tell whether our partnership adds value?"},
]


def register(app: App, services: SlackServices) -> None:
    app.event("app_home_opened")(ack=partial(keep_then_ack, services),
                                 lazy=[durably(services, partial(open_tab, services))])


def open_tab(services: SlackServices, body: dict, event: dict, client: WebClient, context: BoltContext) -> None:
    try:
        if event.get("tab") == "messages":
            # The agent messaging experience: the prompts pin to the top of the Messages tab (no thread).
            client.assistant_threads_setSuggestedPrompts(channel_id=event["channel"], prompts=SUGGESTED_PROMPTS,
                                                         title=PROMPTS_TITLE)
        else:
            publish_home(services, client, person_of(context), event["user"])
    except SlackApiError as exc:
        log.warning("app_home_opened: %s", exc.response.get("error"))
    except CoachError as exc:  # e.g. the database is unreachable: the tab keeps its last view
        log.warning("app_home_opened: home tab not published: %s", exc)


def publish_home(services: SlackServices, client: WebClient, person: str, user_id: str) -> None:
    data = home_data(services, person)
    chart = home_chart(services.coaching, client, person, data.history, user_id) if services.coaching else None
    shown = replace(data, chart_file_id=chart.file_id) if chart else data
    try:
        client.views_publish(user_id=user_id, view=fit_view(home_view(shown)))
    except SlackApiError as exc:
        if exc.response.get("error") != "invalid_blocks" or (chart is None and data.heatmap_file_id is None):
            raise
        # Slack would not show a file: a fresh one may still be processing (kept for next time); a known
        # one may have been deleted (forgotten, so the next opening uploads it again). The text stays.
        log.warning("home images not accepted (%s); publishing the text", exc.response.get("errors"))
        if chart is not None and not chart.fresh and services.coaching is not None:
            try:
                forget_published_chart(services.coaching.db.uow(), person, [chart.file_id])
            except CoachError as error:
                log.info("home chart %s not forgotten: %s", chart.file_id, error)
        client.views_publish(user_id=user_id, view=fit_view(home_view(replace(data, heatmap_file_id=None))))
        return
    if chart is not None and chart.replaced and services.coaching is not None:
        for old in chart.replaced:
            delete_recorded(services.coaching, client, person, old)
        try:
            forget_published_chart(services.coaching.db.uow(), person, list(chart.replaced))
        except CoachError as error:  # the rows stay: erasure still finds (and deletes) those files
            log.info("old home charts not forgotten for %s: %s", person, error)


def refresh_home(services: SlackServices, client: WebClient, person: str, user_id: str) -> None:
    """Re-render the Home tab after something on it changed; a failure only leaves it stale."""
    try:
        publish_home(services, client, person, user_id)
    except (SlackApiError, CoachError) as exc:
        log.info("home tab not refreshed: %s", exc)
