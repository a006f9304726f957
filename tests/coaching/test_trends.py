"""Cohort trends: published group means of closed periods for programme managers, never an individual's ratings."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.coaching.trends import (
    ALL_PARTICIPANTS,
    NO_COHORT,
    cohort_trends,
    publish_closed_periods,
    record_trends_view,
)
from bot.coaching.trends_noise import LaplaceNoise
from bot.errors import InvalidInputError
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise, cohort_of, rate

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # in 2026-Q4: Q3 and earlier are closed
Q3 = datetime(2026, 8, 10, tzinfo=UTC)


def _trends(db: Database, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("min_group", 5)
    kwargs.setdefault("noise", NoNoise())
    kwargs.setdefault("now", NOW)
    return cohort_trends(db.uow(), **kwargs)


def test_a_cohort_shows_the_mean_of_each_persons_latest_rating_per_closed_quarter(db: Database) -> None:
    for i, rating in enumerate([2, 3, 4, 4, 2]):
        rate(db, f"kent{i}", "Kent LSP", datetime(2026, 7, 5, tzinfo=UTC), listening=1)
        rate(db, f"kent{i}", "Kent LSP", datetime(2026, 9, 20, tzinfo=UTC), listening=rating)  # latest counts
        rate(db, f"kent{i}", "Kent LSP", datetime(2026, 4, 3, tzinfo=UTC), listening=rating + 1)
    trends = _trends(db, periods=3)
    assert trends.periods == ("2026-Q1", "2026-Q2", "2026-Q3")
    kent = trends.group("Kent LSP")
    assert kent.people == (None, 5, 5)
    [listening] = kent.attributes
    assert listening.means == (None, 4.0, 3.0)
    assert listening.change == -1.0


def test_the_open_period_is_never_shown(db: Database) -> None:
    cohort_of(db, "Kent", [3, 3, 4, 4, 5], NOW)
    trends = _trends(db)
    assert "2026-Q4" not in trends.periods and trends.groups == ()


def test_a_cohort_smaller_than_the_minimum_is_never_shown_nor_counted(db: Database) -> None:
    cohort_of(db, "Big", [4] * 5, Q3)
    cohort_of(db, "Mid", [3] * 5, Q3)
    cohort_of(db, "Small", [1, 1], Q3)
    trends = _trends(db, periods=1)
    # Small is hidden, and so is the next-smallest (complementary suppression: Mid and Big are both five; the
    # tie goes by label, so Big): otherwise the total minus the shown cohorts would give Small away.
    assert [g.label for g in trends.groups] == [ALL_PARTICIPANTS, "Mid"]
    assert trends.group(ALL_PARTICIPANTS).people == (12,)
    assert "Small" not in repr(trends) and "hidden" not in repr(trends)


def test_an_attribute_too_few_people_rated_is_hidden_while_the_rest_show(db: Database) -> None:
    for i in range(5):
        rate(db, f"p{i}", "Kent", Q3, listening=3, **({"letting_go": 5} if i == 0 else {}))
    kent = _trends(db, periods=1).group("Kent")
    assert [s.attribute_id for s in kent.attributes] == ["listening"]


def test_a_hidden_cohort_too_small_to_hide_in_the_rest_takes_the_shown_one_with_it(db: Database) -> None:
    # Big alone beside the total would give Tiny's one rating away (total minus Big), so Big is hidden too;
    # the total, six people, is shown.
    cohort_of(db, "Big", [4] * 5, Q3)
    cohort_of(db, "Tiny", [1], Q3)
    trends = _trends(db, periods=1)
    assert [g.label for g in trends.groups] == [ALL_PARTICIPANTS]


def test_the_total_shows_when_the_hidden_people_are_a_group_in_themselves(db: Database) -> None:
    cohort_of(db, "A", [4] * 5, Q3)
    cohort_of(db, "B", [2] * 5, Q3)
    for i, cohort in enumerate(["C", "D", "E", "F", "G"]):  # five cohorts of one: hidden, but five together
        rate(db, f"c{i}", cohort, Q3, listening=3)
    trends = _trends(db, periods=1)
    assert [g.label for g in trends.groups] == [ALL_PARTICIPANTS, "A", "B"]
    total = trends.group(ALL_PARTICIPANTS)
    assert total.people == (15,) and total.attributes[0].means == (3.0,)


def test_people_without_a_cohort_form_their_own_group(db: Database) -> None:
    for i in range(5):
        rate(db, f"n{i}", None, Q3, listening=2)
    assert [g.label for g in _trends(db, periods=1).groups] == [ALL_PARTICIPANTS, NO_COHORT]


def test_one_cohort_can_be_asked_for_alone_with_the_same_figures(db: Database) -> None:
    cohort_of(db, "A", [4] * 5, Q3)
    cohort_of(db, "B", [2, 2, 3, 3, 2], Q3)
    everyone = _trends(db, noise=LaplaceNoise())
    only_b = _trends(db, cohort="B", noise=LaplaceNoise())
    assert [g.label for g in only_b.groups] == ["B"]
    assert only_b.group("B") == everyone.group("B")


def test_months_are_the_periods_when_the_deployment_says_so(db: Database) -> None:
    cohort_of(db, "M", [2, 3, 4, 2, 3], datetime(2026, 9, 10, tzinfo=UTC))
    trends = _trends(db, period="month", periods=2)
    assert trends.periods == ("2026-09", "2026-10")
    assert trends.group("M").people == (5, None)


def test_ratings_before_the_window_are_left_out(db: Database) -> None:
    cohort_of(db, "Old", [5] * 5, datetime(2024, 1, 1, tzinfo=UTC))
    assert _trends(db).groups == ()


def test_nothing_that_identifies_a_person_is_in_the_result(db: Database) -> None:
    for i in range(5):
        rate(db, f"slack:T1:U{i}", "Kent", Q3, listening=3)
    text = repr(_trends(db))
    assert "U0" not in text and "slack:" not in text and "pseudonym" not in text


def test_real_noise_keeps_means_on_the_scale_and_says_its_margin(db: Database) -> None:
    cohort_of(db, "Kent", [1, 1, 1, 2, 1], Q3)
    [series] = _trends(db, periods=1, noise=LaplaceNoise(1.0)).group("Kent").attributes
    [mean] = series.means
    assert mean is not None and 1.0 <= mean <= 5.0
    assert series.margins == (LaplaceNoise(1.0).margin(5),) and series.margins[0] > 1


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"period": "week"}, "period"), ({"periods": 0}, "periods"), ({"periods": 99}, "periods"),
    ({"min_group": 4}, "min_group"), ({"min_group": 2}, "min_group"),
])
def test_bad_parameters_name_the_field(db: Database, kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _trends(db, **kwargs)
    assert caught.value.field == field


def test_viewing_trends_is_audited_under_the_viewer(db: Database) -> None:
    cohort_of(db, "Kent", [3] * 5, Q3)
    record_trends_view(db.uow(), "manager", _trends(db), now=NOW)
    with db.uow() as uow:
        [(action, detail, _)] = uow.audit.for_subject("manager")
    assert action == "trends_viewed" and json.loads(detail or "{}")["groups"] == [ALL_PARTICIPANTS, "Kent"]


def test_only_programme_managers_may_see_trends_and_each_view_is_audited(db: Database) -> None:
    from bot.coaching.conversation import set_profile
    from bot.coaching.trends import trends_for_manager
    from bot.errors import NotPermittedError

    cohort_of(db, "Kent", [3] * 5, Q3)
    with pytest.raises(NotPermittedError):
        trends_for_manager(db.uow(), "Kent-0", min_group=5, now=NOW)
    set_profile(db.uow(), "boss", role="programme_manager")
    trends = trends_for_manager(db.uow(), "boss", min_group=5, now=NOW)
    assert [g.label for g in trends.groups] == [ALL_PARTICIPANTS, "Kent"]
    with db.uow() as uow:
        assert [action for action, _, _ in uow.audit.for_subject("boss")] == ["role_changed", "trends_viewed"]


def test_the_scheduler_freezes_closed_quarters_so_the_first_manager_to_look_finds_them_published(
        db: Database) -> None:
    cohort_of(db, "Kent", [2, 3, 4, 4, 5], Q3)
    publish_closed_periods(db.uow(), min_group=5, period="quarter", noise=NoNoise(), now=NOW)
    with db.uow() as uow:
        assert uow.trends.published_labels(["2026-Q2", "2026-Q3", "2026-Q4"]) == {"2026-Q3"}  # nobody rated in Q2
    cohort_of(db, "Kent", [1, 1, 1, 1, 1], datetime(2026, 9, 30, tzinfo=UTC), prefix="late")  # rated in Q3, too late
    [listening] = _trends(db, periods=1).group("Kent").attributes
    assert listening.means == (3.6,), "what was frozen is what the first view shows"


def test_a_managers_view_leaves_a_backlog_too_large_to_freeze_at_once_to_the_scheduler(db: Database) -> None:
    cohort_of(db, "Kent", [2, 3, 4, 4, 5], Q3)
    cohort_of(db, "Kent", [1, 2, 2, 2, 3], datetime(2026, 5, 10, tzinfo=UTC), prefix="spring")
    waiting = _trends(db, periods=2, freeze_at_most=9)  # Q2 and Q3 hold 10 ratings together
    assert waiting.pending == ("2026-Q2", "2026-Q3")
    assert waiting.groups == ()  # nothing unfrozen is ever shown
    with db.uow() as uow:
        assert uow.trends.published_labels(["2026-Q2", "2026-Q3"]) == set()
    publish_closed_periods(db.uow(), min_group=5, period="quarter", noise=NoNoise(), now=NOW)
    shown = _trends(db, periods=2, freeze_at_most=9)
    assert shown.pending == ()
    assert shown.group("Kent").attributes[0].means == (2.0, 3.6)


def test_a_managers_view_freezes_the_quarter_that_closed_since_the_scheduler_last_ran(db: Database) -> None:
    cohort_of(db, "Kent", [1, 2, 2, 2, 3], datetime(2026, 5, 10, tzinfo=UTC), prefix="spring")
    publish_closed_periods(db.uow(), min_group=5, period="quarter", noise=NoNoise(), now=datetime(2026, 8, 1,
                                                                                                   tzinfo=UTC))
    cohort_of(db, "Kent", [2, 3, 4, 4, 5], Q3)
    found = _trends(db, periods=2, freeze_at_most=9)  # only Q3's 5 ratings are left to freeze
    assert found.pending == ()
    assert found.group("Kent").attributes[0].means == (2.0, 3.6)


def test_slack_says_which_quarters_are_still_being_published_and_shows_no_figure_for_them(db: Database) -> None:
    from bot.slack.blocks.trends import trends_blocks

    cohort_of(db, "Kent", [2, 3, 4, 4, 5], Q3)
    shown = json.dumps(trends_blocks(_trends(db, periods=2, freeze_at_most=4)))
    assert "2026-Q2, 2026-Q3: being published by the scheduler, shown within a few minutes." in shown
    assert "Kent" not in shown
