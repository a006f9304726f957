"""Cohort trends: group means per period for programme managers, never an individual's ratings."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.coaching.data_rights import erase_user
from bot.coaching.trends import ALL_PARTICIPANTS, NO_COHORT, cohort_trends, record_trends_view
from bot.errors import InvalidInputError
from bot.storage import Database

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SECRET = b"test-secret"


def _person(db: Database, user: str, cohort: str | None, when: datetime, **ratings: int) -> None:
    if cohort is not None:
        set_profile(db.uow(), user, cohort=cohort)
    submit_assessment(db.uow(), user, {k.replace("_", "-"): v for k, v in ratings.items()}, now=when)


def _trends(db: Database, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("min_group", 3)
    return cohort_trends(db.uow(), now=NOW, **kwargs)


def test_a_cohort_shows_the_mean_of_each_persons_latest_rating_per_month(db: Database) -> None:
    for i, rating in enumerate([2, 3, 4]):
        _person(db, f"kent{i}", "Kent LSP", datetime(2026, 10, 5, tzinfo=UTC), listening=1)
        _person(db, f"kent{i}", "Kent LSP", datetime(2026, 10, 20, tzinfo=UTC), listening=rating)  # latest counts
        _person(db, f"kent{i}", "Kent LSP", datetime(2026, 11, 3, tzinfo=UTC), listening=rating + 1)
    trends = _trends(db, periods=3)
    assert trends.periods == ("2026-09", "2026-10", "2026-11")
    kent = trends.group("Kent LSP")
    assert kent.people == (None, 3, 3)
    listening = next(s for s in kent.attributes if s.attribute_id == "listening")
    assert listening.means == (None, 3.0, 4.0)
    assert listening.change == 1.0


def test_a_cohort_smaller_than_the_minimum_is_never_shown(db: Database) -> None:
    for i in range(3):
        _person(db, f"big{i}", "Big", NOW, listening=4)
    for i in range(2):
        _person(db, f"small{i}", "Small", NOW, listening=1)
    trends = _trends(db)
    assert [g.label for g in trends.groups] == ["Big"]
    assert trends.hidden_groups == 1
    assert "Small" not in repr(trends)


def test_an_attribute_too_few_people_rated_is_hidden_while_the_rest_show(db: Database) -> None:
    for i in range(3):
        _person(db, f"p{i}", "Kent", NOW, listening=3, **({"letting_go": 5} if i == 0 else {}))
    kent = _trends(db).group("Kent")
    assert [s.attribute_id for s in kent.attributes] == ["listening"]


def test_the_total_is_withheld_when_it_would_reveal_a_hidden_cohort(db: Database) -> None:
    # Big (3 people) is shown; Tiny (1 person) is hidden. A total over 4 people minus Big's figure would give
    # Tiny's one person's rating away, so there is no total.
    for i in range(3):
        _person(db, f"big{i}", "Big", NOW, listening=4)
    _person(db, "tiny0", "Tiny", NOW, listening=1)
    trends = _trends(db)
    assert ALL_PARTICIPANTS not in [g.label for g in trends.groups]


def test_the_total_shows_when_the_hidden_people_are_a_group_in_themselves(db: Database) -> None:
    for i in range(3):
        _person(db, f"a{i}", "A", NOW, listening=4)
        _person(db, f"b{i}", "B", NOW, listening=2)
    for i, cohort in enumerate(["C", "D", "E"]):  # three cohorts of one: hidden, but three people together
        _person(db, f"c{i}", cohort, NOW, listening=3)
    trends = _trends(db, periods=1)
    assert [g.label for g in trends.groups] == [ALL_PARTICIPANTS, "A", "B"]
    total = trends.group(ALL_PARTICIPANTS)
    assert total.people == (9,) and total.attributes[0].means == (3.0,)
    assert trends.hidden_groups == 3


def test_people_without_a_cohort_form_their_own_group(db: Database) -> None:
    for i in range(3):
        _person(db, f"n{i}", None, NOW, listening=2)
    assert [g.label for g in _trends(db).groups] == [NO_COHORT]


def test_one_cohort_can_be_asked_for_alone(db: Database) -> None:
    for i in range(3):
        _person(db, f"a{i}", "A", NOW, listening=4)
        _person(db, f"b{i}", "B", NOW, listening=2)
    trends = _trends(db, cohort="B")
    assert [g.label for g in trends.groups] == ["B"]


def test_quarters_group_three_months(db: Database) -> None:
    for i in range(3):
        _person(db, f"q{i}", "Q", datetime(2026, 7 + i, 10, tzinfo=UTC), listening=2 + i)
    trends = _trends(db, period="quarter", periods=2)
    assert trends.periods == ("2026-Q3", "2026-Q4")
    assert trends.group("Q").people == (3, None)
    assert trends.group("Q").attributes[0].means == (3.0, None)


def test_ratings_before_the_window_are_left_out(db: Database) -> None:
    for i in range(3):
        _person(db, f"old{i}", "Old", datetime(2025, 1, 1, tzinfo=UTC), listening=5)
    assert _trends(db).groups == ()


def test_nothing_that_identifies_a_person_is_in_the_result(db: Database) -> None:
    for i in range(3):
        _person(db, f"slack:T1:U{i}", "Kent", NOW, listening=3)
    trends = _trends(db)
    text = repr(trends)
    assert "U0" not in text and "slack:" not in text and "pseudonym" not in text


def test_an_erased_person_drops_out_of_the_trends(db: Database) -> None:
    for i in range(3):
        _person(db, f"p{i}", "Kent", NOW, listening=3)
    assert _trends(db).groups
    erase_user(db.uow(), "p0", SECRET)
    assert _trends(db).groups == ()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"period": "week"}, "period"), ({"periods": 0}, "periods"), ({"periods": 99}, "periods"),
    ({"min_group": 1}, "min_group"),
])
def test_bad_parameters_name_the_field(db: Database, kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _trends(db, **kwargs)
    assert caught.value.field == field


def test_viewing_trends_is_audited_under_the_viewer(db: Database) -> None:
    for i in range(3):
        _person(db, f"p{i}", "Kent", NOW, listening=3)
    record_trends_view(db.uow(), "manager", _trends(db), now=NOW)
    with db.uow() as uow:
        [(action, detail, _)] = uow.audit.for_subject("manager")
    assert action == "trends_viewed" and json.loads(detail or "{}")["groups"] == ["Kent"]


def test_only_programme_managers_may_see_trends_and_each_view_is_audited(db: Database) -> None:
    from bot.coaching.trends import trends_for_manager
    from bot.errors import NotPermittedError

    for i in range(3):
        _person(db, f"p{i}", "Kent", NOW, listening=3)
    with pytest.raises(NotPermittedError):
        trends_for_manager(db.uow(), "p0", min_group=3, now=NOW)
    set_profile(db.uow(), "boss", role="programme_manager")
    trends = trends_for_manager(db.uow(), "boss", min_group=3, now=NOW)
    assert [g.label for g in trends.groups] == ["Kent"]
    with db.uow() as uow:
        assert [action for action, _, _ in uow.audit.for_subject("boss")] == ["role_changed", "trends_viewed"]
