"""Participation per period (people enrolled, people who rated, people who did an exercise) is published with the
trends: frozen with the period, under the same minimum and complementary suppression as every other figure."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coaching.data_rights import erase_user
from bot.coaching.trends import ALL_PARTICIPANTS, cohort_trends
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise, enrol, finish_exercise, rate

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # in 2026-Q4: Q3 is the latest closed quarter
Q3 = datetime(2026, 8, 10, tzinfo=UTC)
EARLY = datetime(2026, 1, 5, tzinfo=UTC)


def _trends(db: Database, now: datetime = NOW, **kwargs):  # type: ignore[no-untyped-def]
    return cohort_trends(db.uow(), min_group=5, noise=NoNoise(), now=now, periods=2, **kwargs)


def _programme(db: Database, cohort: str, enrolled: int, rated: int, exercised: int) -> None:
    for i in range(enrolled):
        enrol(db, f"{cohort}-{i}", cohort, EARLY)
    for i in range(rated):
        rate(db, f"{cohort}-{i}", None, Q3, listening=3)
    for i in range(exercised):
        finish_exercise(db, f"{cohort}-{i}", Q3)


def test_enrolled_rated_and_exercised_are_counted_per_cohort_and_overall_with_percentages(db: Database) -> None:
    _programme(db, "North", enrolled=10, rated=8, exercised=5)
    _programme(db, "South", enrolled=12, rated=6, exercised=6)
    trends = _trends(db)
    north = trends.group("North").participation(1)
    assert (north.enrolled, north.rated, north.exercised) == (10, 8, 5)
    assert (north.rated_share, north.exercised_share) == (80, 50)
    total = trends.group(ALL_PARTICIPANTS).participation(1)
    assert (total.enrolled, total.rated, total.exercised) == (22, 14, 11)
    assert (total.rated_share, total.exercised_share) == (64, 50)


def test_a_small_count_is_hidden_with_its_next_smallest_neighbour_and_no_percentage_is_made_from_it(
        db: Database) -> None:
    _programme(db, "North", enrolled=10, rated=8, exercised=3)  # 3 did an exercise: too few to show
    _programme(db, "South", enrolled=12, rated=6, exercised=7)
    _programme(db, "West", enrolled=20, rated=10, exercised=9)
    trends = _trends(db)
    north, south, west = (trends.group(c).participation(1) for c in ("North", "South", "West"))
    assert north.exercised is None and north.exercised_share is None
    assert south.exercised is None  # hidden too: else the total minus the others would give North's 3
    assert west.exercised == 9
    assert trends.group(ALL_PARTICIPANTS).participation(1).exercised == 19  # hides 10 people: a group in itself
    assert north.enrolled == 10 and north.rated_share == 80


def test_a_cohort_too_small_to_enrol_shows_no_participation_at_all(db: Database) -> None:
    _programme(db, "Tiny", enrolled=4, rated=4, exercised=4)
    _programme(db, "North", enrolled=10, rated=8, exercised=6)
    _programme(db, "South", enrolled=11, rated=9, exercised=6)
    trends = _trends(db)
    assert "Tiny" not in [g.label for g in trends.groups]
    assert "North" not in [g.label for g in trends.groups]  # hidden with Tiny, as the next-smallest
    assert trends.group("South").participation(1).enrolled == 11
    assert trends.group(ALL_PARTICIPANTS).participation(1).enrolled == 25


def test_people_who_join_after_a_period_are_not_enrolled_in_it(db: Database) -> None:
    _programme(db, "North", enrolled=10, rated=6, exercised=0)
    for i in range(5):
        enrol(db, f"late-{i}", "North", datetime(2026, 10, 2, tzinfo=UTC))  # in Q4, after Q3 closed
    assert _trends(db).group("North").participation(1).enrolled == 10


def test_participation_once_shown_never_changes_after_joins_erasures_or_more_exercises(db: Database) -> None:
    _programme(db, "North", enrolled=10, rated=8, exercised=6)
    _programme(db, "South", enrolled=10, rated=8, exercised=6)
    before = _trends(db).group("North").participation(1)
    erase_user(db.uow(), "North-0", b"secret", now=NOW)
    enrol(db, "North-new", "North", EARLY)
    finish_exercise(db, "North-9", Q3)
    assert _trends(db).group("North").participation(1) == before


def test_the_people_who_rated_count_under_the_cohort_they_rated_in_so_they_are_among_its_enrolled(
        db: Database) -> None:
    _programme(db, "North", enrolled=6, rated=6, exercised=0)
    _programme(db, "South", enrolled=6, rated=0, exercised=0)
    for i in range(6):  # North's raters have since moved to South: their period stays North's
        enrol(db, f"North-{i}", "South", EARLY)
    north = _trends(db).group("North").participation(1)
    assert (north.enrolled, north.rated, north.rated_share) == (6, 6, 100)
