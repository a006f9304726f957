"""`coach demo-data`: a realistic synthetic programme, the same for the same seed, recognisable and removable,
and never mixed into a database of real people unless forced."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from statistics import mean

import pytest

from bot.coaching.assessments import submit_assessment
from bot.coaching.demo_data import DECLINING, DEMO_PREFIX, generate, load_demo, remove_demo
from bot.coaching.exercises import exercise_library
from bot.coaching.trends import ALL_PARTICIPANTS, trends_for_manager
from bot.errors import InvalidInputError
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise

UNTIL = date(2026, 11, 20)


@pytest.fixture(scope="module")
def programme():  # type: ignore[no-untyped-def]
    return generate(exercise_library(), seed=7, until=UNTIL)


def test_the_same_seed_gives_the_same_programme_and_another_seed_another(programme) -> None:  # type: ignore[no-untyped-def]
    assert generate(exercise_library(), seed=7, until=UNTIL) == programme
    assert generate(exercise_library(), seed=8, until=UNTIL) != programme


def test_the_programme_looks_like_a_real_one(programme) -> None:  # type: ignore[no-untyped-def]
    people = programme.people
    assert 250 <= len(people) <= 300 and all(p.id.startswith(DEMO_PREFIX) for p in people)
    cohorts = {p.cohort for p in people}
    assert len(cohorts) == 6
    first, last = programme.submissions[0].when, max(s.when for s in programme.submissions)
    assert min(s.when for s in programme.submissions) < datetime(2025, 7, 1, tzinfo=UTC) and last.date() <= UNTIL
    latest = {}
    for s in programme.submissions:
        latest[s.user_id] = max(latest.get(s.user_id, first), s.when)
    dropped = [p for p, at in latest.items() if at < datetime(2026, 8, 1, tzinfo=UTC)]
    assert 0.1 * len(people) < len(dropped) < 0.6 * len(people)  # people drop out, most stay
    assert any(s.checkin for s in programme.submissions) and any(not s.checkin for s in programme.submissions)
    assert {s.status for s in programme.sessions} >= {"finished", "abandoned"}
    cohort, attribute = DECLINING

    def quarter_mean(start: datetime, end: datetime) -> float:
        return mean(s.ratings[attribute] for s in programme.submissions
                    if s.cohort == cohort and attribute in s.ratings and start <= s.when < end)

    q2 = quarter_mean(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))
    q3 = quarter_mean(datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC))
    assert q3 < q2 - 0.4  # the decline that highlights should find


def test_demo_data_loads_and_managers_see_trends(db: Database) -> None:
    small = generate(exercise_library(), people=60, months=12, cohorts=3, seed=3, until=UNTIL)
    report = load_demo(db.uow(), small, actor="operator:alice", now=datetime(2026, 11, 20, tzinfo=UTC))
    assert report.people == len(small.people) and report.ratings > 1000
    boss = small.managers[0][0]
    trends = trends_for_manager(db.uow(), boss, min_group=5, now=datetime(2026, 11, 20, tzinfo=UTC),
                                noise=NoNoise(), periods=2)
    assert trends.groups[0].label == ALL_PARTICIPANTS and len(trends.groups[0].attributes) == 9
    load_demo(db.uow(), small, actor="operator:alice")  # again: replaces, does not add
    with db.uow() as uow:
        assert uow.demo.real_people(DEMO_PREFIX) == 0
        assert uow.assessments.count() == len(small.submissions)


def test_a_database_with_real_people_is_refused_unless_forced_and_removal_spares_them(db: Database) -> None:
    submit_assessment(db.uow(), "real-person", {"listening": 4}, now=datetime(2026, 8, 1, tzinfo=UTC))
    small = generate(exercise_library(), people=20, months=6, cohorts=2, seed=1, until=UNTIL)
    with pytest.raises(InvalidInputError, match="1 people who are not demo data"):
        load_demo(db.uow(), small, actor="operator:alice")
    with db.uow() as uow:
        assert uow.assessments.count() == 1
    load_demo(db.uow(), small, actor="operator:alice", force=True)
    removed = remove_demo(db.uow())
    assert removed["users"] == len(small.people) + len(small.managers)
    with db.uow() as uow:
        assert uow.assessments.count() == 1 and uow.users.get("real-person") is not None


def test_removing_demo_data_drops_periods_only_demo_people_rated_in(db: Database) -> None:
    small = generate(exercise_library(), people=40, months=12, cohorts=2, seed=2, until=UNTIL)
    load_demo(db.uow(), small, actor="operator:alice")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    submit_assessment(db.uow(), "real-person", {"listening": 4}, now=now - timedelta(days=100))  # in 2026-Q3
    trends_for_manager(db.uow(), small.managers[0][0], min_group=5, now=now, noise=NoNoise(), periods=3)
    with db.uow() as uow:
        assert uow.trends.published_labels(["2026-Q1", "2026-Q2", "2026-Q3"]) == {"2026-Q1", "2026-Q2", "2026-Q3"}
    remove_demo(db.uow())
    with db.uow() as uow:  # a real person rated in Q3: its frozen figures stay, never re-published
        assert uow.trends.published_labels(["2026-Q1", "2026-Q2", "2026-Q3"]) == {"2026-Q3"}
