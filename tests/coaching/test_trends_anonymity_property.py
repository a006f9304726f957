"""Property: over any history of joins, leaves, re-ratings, erasures and relabels, with views taken at any time
and with any cohort filter, nothing a manager is shown lets them determine one rating.

The test keeps its own record of every rating (who, under which cohort, when, which attribute) and, for each
published figure, of the ratings that stand behind it when its period was first published. The attacker gets
every figure of every view and combines them: every pair, every sum and difference, indeed any linear
combination of them (their span). No combination may come down to one rating. Also checked: a figure, once
shown, never changes; no figure of an open period is shown; none stands on fewer than the minimum.
(Attacks that need no combination, such as k−1 members pooling or everyone rating alike, are answered by the
noise: tests/coaching/test_trends_attacks.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.coaching.data_rights import erase_user
from bot.coaching.trends import ALL_PARTICIPANTS, NO_COHORT, closed_period_bounds, cohort_trends, period_label
from bot.coaching.trends_noise import LaplaceNoise
from bot.storage import Database, connect
from bot.storage.orm import Base

MIN_GROUP = 5
PEOPLE = [f"p{i:02d}" for i in range(14)]
COHORTS = ["North", "South"]
ATTRIBUTES = ["listening", "letting-go"]
START = datetime(2026, 1, 1, tzinfo=UTC)
COUNTS = ("people", "enrolled", "exercised")  # shown counts, not means: no rating stands behind them
DAYS = 150  # January to May: months are the periods, so several close during a history

person = st.sampled_from(PEOPLE)
day = st.integers(0, DAYS)
events = st.one_of(
    st.tuples(st.just("join"), day, person, st.sampled_from(COHORTS)),
    st.tuples(st.just("relabel"), day, person, st.sampled_from(COHORTS)),
    st.tuples(st.just("leave"), day, person),
    st.tuples(st.just("erase"), day, person),
    st.tuples(st.just("rate"), day, person, st.sampled_from(ATTRIBUTES), st.integers(1, 5)),
    # a weekly prompt: most people rate one attribute (re-ratings within a month included)
    *[st.tuples(st.just("wave"), day, st.sampled_from(ATTRIBUTES),
                st.lists(st.one_of(st.none(), st.integers(1, 5), st.integers(1, 5)), min_size=len(PEOPLE),
                         max_size=len(PEOPLE)))] * 3,
    st.tuples(st.just("view"), day, st.sampled_from([None, *COHORTS])),
)


@dataclass
class Model:
    """What the test knows and the manager must not learn: every rating, with the cohort it was given in."""

    cohort: dict[str, str | None] = field(default_factory=dict)
    # each rating: id, who, the cohort it was given in, when, attribute
    ratings: list[tuple[int, str, str | None, datetime, str]] = field(default_factory=list)
    next_id: int = 0
    # (period, group label, attribute) -> the rating ids behind the published mean, as of its publication
    support: dict[tuple[str, str, str], frozenset[int]] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)

    def rate(self, who: str, attribute: str, when: datetime) -> None:
        self.next_id += 1
        self.ratings.append((self.next_id, who, self.cohort.get(who), when, attribute))

    def publish(self, label: str, start: datetime, end: datetime) -> None:
        """The figures of a period as the service should publish them: latest rating per person and attribute."""
        latest: dict[tuple[str, str], tuple[int, str | None]] = {}
        for rating_id, who, cohort, when, attribute in self.ratings:  # in the order given: later wins
            if start <= when < end:
                latest[(who, attribute)] = (rating_id, cohort)
        if not latest:
            return  # nothing rated: the service publishes nothing, so a later rating may still show
        self.published.add(label)
        for (_, attribute), (rating_id, cohort) in latest.items():
            for group in (ALL_PARTICIPANTS, cohort or NO_COHORT):
                key = (label, group, attribute)
                self.support[key] = self.support.get(key, frozenset()) | {rating_id}


def _clear(db: Database) -> None:
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


def _never_isolates_one_rating(vectors: list[frozenset[int]]) -> None:
    """No linear combination of the published figures (their span) is a single rating."""
    ids = sorted(set().union(*vectors)) if vectors else []
    index = {r: i for i, r in enumerate(ids)}
    matrix = np.zeros((len(vectors), len(ids)))
    for row, vector in enumerate(vectors):
        matrix[row, [index[r] for r in vector]] = 1
    rank = np.linalg.matrix_rank(matrix) if vectors else 0
    for r in ids:
        unit = np.zeros((1, len(ids)))
        unit[0, index[r]] = 1
        assert np.linalg.matrix_rank(np.vstack([matrix, unit])) > rank, f"rating {r} is isolated"
    for a in vectors:  # and, spelled out, the pairs: no difference of two figures is one rating
        for b in vectors:
            assert len(a - b) != 1


@pytest.fixture(scope="module")
def property_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One SQLite database for all examples (migrating for each would dominate), emptied before each."""
    db = connect(f"sqlite:///{tmp_path_factory.mktemp('property') / 'coach.db'}")
    yield db
    db.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(start=st.lists(st.sampled_from([*COHORTS, None]), min_size=len(PEOPLE), max_size=len(PEOPLE)),
       history=st.lists(events, min_size=10, max_size=60))
def test_no_combination_of_views_over_time_determines_one_rating(property_db: Database, start: list[str | None],
                                                                 history: list[tuple]) -> None:
    db = property_db
    _clear(db)
    model, shown = Model(), {}  # shown: (period, group, attribute or "people") -> figure
    for who, cohort in zip(PEOPLE, start, strict=True):  # the programme's first cohorts
        if cohort is not None:
            set_profile(db.uow(), who, cohort=cohort)
            model.cohort[who] = cohort
    noise = LaplaceNoise(1.0)
    ordered = sorted(enumerate(history), key=lambda e: (e[1][1], e[0]))
    for seq, (kind, when_day, *args) in ordered:
        when = START + timedelta(days=when_day, seconds=seq)
        if kind in ("join", "relabel", "leave"):
            cohort = args[1] if kind != "leave" else ""
            set_profile(db.uow(), args[0], cohort=cohort)
            model.cohort[args[0]] = cohort or None
        elif kind == "erase":
            with db.uow() as uow:
                known = uow.users.get(args[0]) is not None
            if known:
                erase_user(db.uow(), args[0], b"secret", now=when)
            model.ratings = [r for r in model.ratings if r[1] != args[0]]
            model.cohort.pop(args[0], None)
        elif kind == "rate":
            submit_assessment(db.uow(), args[0], {args[1]: args[2]}, now=when)
            model.rate(args[0], args[1], when)
        elif kind == "wave":
            for who, value in zip(PEOPLE, args[1], strict=True):
                if value is None:
                    continue
                submit_assessment(db.uow(), who, {args[0]: value}, now=when + timedelta(microseconds=1))
                model.rate(who, args[0], when + timedelta(microseconds=1))
        else:
            _check_view(db, model, shown, noise, when, args[0])
    _check_view(db, model, shown, noise, START + timedelta(days=DAYS + 40), None)  # a last look, all closed
    figures = [model.support[key] for key in shown if key[2] not in COUNTS]
    event(f"published means: {'none' if not figures else 'under 5' if len(figures) < 5 else '5 or more'}")
    event(f"a cohort's mean shown: {any(k[1] != ALL_PARTICIPANTS and k[2] not in COUNTS for k in shown)}")
    event(f"a view after an erasure or a move: {any(k in ('erase', 'relabel', 'leave') for k, *_ in history)}")
    _never_isolates_one_rating(figures)


def _check_view(db: Database, model: Model, shown: dict, noise: LaplaceNoise, now: datetime,
                cohort: str | None) -> None:
    bounds = closed_period_bounds(now, "month", 4)
    for i, start in enumerate(bounds[:-1]):
        label = period_label(start, "month")
        if label not in model.published:
            model.publish(label, start, bounds[i + 1])
    view = cohort_trends(db.uow(), min_group=MIN_GROUP, period="month", periods=4, cohort=cohort, now=now,
                         noise=noise)
    assert bounds[-1] <= now and all(label < period_label(now, "month") for label in view.periods)
    for group in view.groups:
        assert cohort is None or group.label == cohort
        for slot, people in enumerate(group.people):
            if people is not None:
                assert shown.setdefault((view.periods[slot], group.label, "people"), people) == people
                assert people >= MIN_GROUP
        for kind, counts in (("enrolled", group.enrolled), ("exercised", group.exercised)):
            for slot, count in enumerate(counts):  # participation: frozen, and never a group under the minimum
                if count is not None:
                    assert shown.setdefault((view.periods[slot], group.label, kind), count) == count
                    assert count >= MIN_GROUP
        for series in group.attributes:
            for slot, mean in series.shown:
                key = (view.periods[slot], group.label, series.attribute_id)
                assert shown.setdefault(key, mean) == mean, f"{key} changed"
                stands_on = len(model.support[key])
                assert stands_on == group.people[slot] or group.label == ALL_PARTICIPANTS or stands_on >= MIN_GROUP
                assert stands_on >= MIN_GROUP
