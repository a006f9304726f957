"""Programme managers see anonymised cohort trends in Slack (Home tab, `/coach trends`); nobody else does."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.coaching.trends import closed_period_bounds
from bot.coaching.uploads import uploads_of
from bot.storage import Database
from tests.slack.conftest import SlackHarness, eventually
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


def _heatmaps(h: SlackHarness) -> list:
    return [f for f in h.api.files.values() if f.filename.startswith("programme-heatmap-") and f.live]


def test_the_trends_command_shows_the_highlights_and_posts_the_heatmap_in_the_managers_dm(
        coached: SlackHarness, cohorts: Database) -> None:
    set_profile(cohorts.uow(), MANAGER, role="programme_manager")
    coached.slack.command("trends")
    blocks = json.dumps(coached.api.wait_for("response_url")[0]["blocks"], ensure_ascii=False)
    assert "*Highlights*" in blocks and "is among the lowest-rated across all participants" in blocks
    assert re.search(r"_\d{4}-Q\d: \d+ enrolled, 6 rated \(\d+%\)_", blocks)  # Wide's participation
    coached.api.wait_for("files.completeUploadExternal")
    [heatmap] = eventually(lambda: _heatmaps(coached)) or []  # type: ignore[misc]
    assert heatmap.channels == ["D1"] and heatmap.data and heatmap.data.startswith(b"\x89PNG")  # shared in the DM
    assert "Wide: Listening to stakeholders and partners" in (heatmap.alt_txt or "")
    # recorded against the manager like every other upload, so erasure finds and deletes it
    [record] = eventually(lambda: [u for u in uploads_of(cohorts.uow(), MANAGER) if u.kind == "trends-heatmap"])
    assert record.ref == heatmap.id


def test_the_home_tab_offers_the_heatmap_then_shows_the_one_shared_in_the_dm(coached: SlackHarness,
                                                                             cohorts: Database) -> None:
    set_profile(cohorts.uow(), MANAGER, role="programme_manager")
    coached.slack.event(HOME)
    first = home_text(coached.api.wait_for("views.publish")[0]["view"])
    assert "*Highlights*" in first and "home_heatmap" in first and '"type": "image"' not in first

    coached.slack.action("home_heatmap", "", channel="D1")
    views = coached.api.wait_for("views.publish", count=2)
    [heatmap] = _heatmaps(coached)
    assert heatmap.channels == ["D1"]
    [image] = [b for b in views[-1]["view"]["blocks"] if b["type"] == "image"]
    assert image["slack_file"] == {"id": heatmap.id} and "Send me the heatmap again" in home_text(views[-1]["view"])


def test_erasing_the_manager_deletes_the_heatmaps_posted_to_them(coached: SlackHarness, cohorts: Database) -> None:
    from tests.slack.test_erasure_in_slack import confirm_forget_me

    set_profile(cohorts.uow(), MANAGER, role="programme_manager")
    coached.slack.command("trends")
    eventually(lambda: [u for u in uploads_of(cohorts.uow(), MANAGER) if u.kind == "trends-heatmap"])
    assert _heatmaps(coached)
    confirm_forget_me(coached)
    assert _heatmaps(coached) == []


def test_when_slack_will_not_show_the_heatmap_the_home_tab_keeps_the_text(coached: SlackHarness,
                                                                          cohorts: Database) -> None:
    set_profile(cohorts.uow(), MANAGER, role="programme_manager")
    coached.slack.command("trends")
    eventually(lambda: [u for u in uploads_of(cohorts.uow(), MANAGER) if u.kind == "trends-heatmap"])
    coached.api.fail("views.publish", "invalid_blocks")  # e.g. the manager deleted the file from the DM
    coached.slack.event(HOME)
    views = coached.api.wait_for("views.publish", count=2)
    assert '"type": "image"' in home_text(views[0]["view"])
    assert '"type": "image"' not in home_text(views[1]["view"]) and "*Highlights*" in home_text(views[1]["view"])
