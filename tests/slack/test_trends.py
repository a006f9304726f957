"""Programme managers see anonymised cohort trends in Slack (Home tab, `/coach trends`); nobody else does."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.coaching.trends import closed_period_bounds
from bot.storage import Database
from tests.slack.conftest import SlackHarness
from tests.slack.test_home import HOME, home_text

MANAGER = "slack:T1:U1"  # the harness's user U1 in team T1
LAST_QUARTER = closed_period_bounds(datetime.now(UTC), "quarter", 1)[0] + timedelta(days=10)  # closed


@pytest.fixture
def cohorts(coached: SlackHarness) -> Database:
    """Kent LSP: five people, Wide: six (shown at the default minimum of 5); Tiny: two (never shown, and Kent
    LSP, the next smallest, hides with it), all rating in the last closed quarter."""
    assert coached.services.coaching is not None
    db: Database = coached.services.coaching.db
    for label, ratings in (("Kent LSP", [2, 3, 4, 4, 5]), ("Wide", [3] * 6), ("Tiny <!channel>", [1, 1])):
        for i, rating in enumerate(ratings):
            person = f"slack:T1:U{label[:4].upper()}{i}"
            set_profile(db.uow(), person, cohort=label)
            submit_assessment(db.uow(), person, {"listening": rating, "letting-go": 3}, now=LAST_QUARTER)
    return db


def test_a_programme_manager_sees_large_cohorts_on_the_home_tab(coached: SlackHarness, cohorts: Database) -> None:
    set_profile(cohorts.uow(), MANAGER, role="programme_manager")
    coached.slack.event(HOME)
    text = home_text(coached.api.wait_for("views.publish")[0]["view"])
    assert "Programme trends" in text and "*Wide* (6 people rated in" in text
    assert re.search(r"Listening to stakeholders and partners: \d\.\d", text)
    assert "Tiny" not in text and "Kent" not in text and "not shown" not in text
    assert "UKENT" not in text and "/coach trends" in text
    with cohorts.uow() as uow:  # seen in Slack: audited with the Slack person as the one who looked
        [view] = [e for e in uow.audit.entries(subject=MANAGER) if e.action == "trends_viewed"]
    assert view.actor == MANAGER


def test_an_officer_sees_no_trends_on_home_and_is_refused_by_the_command(coached: SlackHarness,
                                                                         cohorts: Database) -> None:
    coached.slack.event(HOME)
    assert "Programme trends" not in home_text(coached.api.wait_for("views.publish")[0]["view"])
    coached.slack.command("trends")
    [reply] = coached.api.wait_for("response_url")
    assert "for programme managers" in reply["text"] and not reply.get("blocks")


def test_the_trends_command_shows_all_groups_or_one_and_says_when_a_cohort_has_nothing(
        coached: SlackHarness, cohorts: Database) -> None:
    set_profile(cohorts.uow(), MANAGER, role="programme_manager")
    coached.slack.command("trends")
    blocks = json.dumps(coached.api.wait_for("response_url")[0]["blocks"])
    assert "Wide" in blocks and "Tiny" not in blocks and "Kent" not in blocks

    coached.api.reset()
    coached.slack.command("trends quarter Wide")
    blocks = json.dumps(coached.api.wait_for("response_url")[0]["blocks"])
    assert "per closed quarter" in blocks and "Wide" in blocks

    coached.api.reset()
    coached.slack.command("trends month Wide")
    [reply] = coached.api.wait_for("response_url")
    assert "per quarter only" in reply["text"] and not reply.get("blocks")

    coached.api.reset()
    coached.slack.command("trends Tiny <!channel>")
    [reply] = coached.api.wait_for("response_url")
    assert "No trends to show" in reply["text"] and "<!channel>" not in reply["text"]
