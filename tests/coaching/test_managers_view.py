"""`what managers see`: an officer sees the published group figures that include them, exactly as managers see
them, who can see them, and the rules that protect them; never an individual figure, and reading it publishes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coaching.managers_view import NOT_YET, OPEN, PEOPLE, PUBLISHED, managers_view
from bot.coaching.roles import grant_manager, operator
from bot.coaching.trends import ALL_PARTICIPANTS, trends_for_manager
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise, cohort_of, rate

NOW = datetime(2026, 11, 20, tzinfo=UTC)  # 2026-Q3 closed, 2026-Q4 open
IN_Q3 = datetime(2026, 8, 10, tzinfo=UTC)
OPERATOR = operator("operator:alice")


def _seen(db: Database, person: str):  # type: ignore[no-untyped-def]
    return managers_view(db.uow(), person, min_group=5, period="quarter", epsilon=1.0, now=NOW)


def _published(db: Database) -> int:
    with db.uow() as uow:
        return len(uow.trends.published_labels(["2026-Q3"]))


def test_an_officer_sees_their_groups_figures_as_managers_see_them(db: Database) -> None:
    kent = cohort_of(db, "Kent", [2, 3, 4, 4, 5], IN_Q3)
    cohort_of(db, "Essex", [3, 3, 3, 3, 3], IN_Q3)
    rate(db, kent[0], None, datetime(2026, 10, 5, tzinfo=UTC), listening=1)  # in the open quarter
    grant_manager(db.uow(), OPERATOR, "boss", now=NOW)
    grant_manager(db.uow(), OPERATOR, "kent-only", ["Kent"], now=NOW)

    before = _seen(db, kent[0])
    assert [(p.period, p.status) for p in before.periods] == [("2026-Q4", OPEN), ("2026-Q3", NOT_YET)]
    assert _published(db) == 0  # asking did not publish the quarter

    trends = trends_for_manager(db.uow(), "boss", min_group=5, now=NOW, noise=NoNoise(), periods=1)
    seen = _seen(db, kent[0])
    q3 = next(p for p in seen.periods if p.period == "2026-Q3")
    assert q3.status == PUBLISHED and q3.published_at is not None
    figures = {(f.group, f.attribute): (f.people, f.mean) for f in q3.figures}
    listening = "Listening to stakeholders and partners"
    for group in (ALL_PARTICIPANTS, "Kent"):
        [series] = trends.group(group).attributes
        assert figures[(group, listening)] == (series.people[0], series.means[0])
        assert figures[(group, PEOPLE)] == (trends.group(group).people[0], None)
    assert ("Essex", listening) not in figures  # only the groups that include them
    assert all(people is None or people >= 5 for people, _ in figures.values())  # never a figure of one
    assert seen.viewers == {ALL_PARTICIPANTS: 1, "Kent": 2}
    assert any("at least 5 people" in rule for rule in seen.rules)
    assert any("ε = 1" in rule for rule in seen.rules)


def test_a_group_that_was_not_published_says_so_without_saying_why(db: Database) -> None:
    cohort_of(db, "Kent", [2, 3, 4, 4, 5, 3], IN_Q3)
    tiny = cohort_of(db, "Tiny", [1, 1], IN_Q3)
    grant_manager(db.uow(), OPERATOR, "boss", now=NOW)
    trends_for_manager(db.uow(), "boss", min_group=5, now=NOW, noise=NoNoise(), periods=1)
    [q3] = _seen(db, tiny[0]).periods
    tiny_figures = [f for f in q3.figures if f.group == "Tiny"]
    assert tiny_figures and all(f.people is None and f.mean is None for f in tiny_figures)


def test_someone_without_ratings_is_in_no_figure(db: Database) -> None:
    seen = _seen(db, "newcomer")
    assert seen.periods == () and seen.viewers == {} and seen.rules
