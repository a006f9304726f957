"""The attacks that recovered one person's rating from cohort trends (issue 13), as regression tests.

Each was tried with the project's own services and a minimum group of 5. The subtraction attacks are shown to
fail even without noise (NoNoise): the counting rules and frozen periods stop them by themselves. The attacks
that need no subtraction (k−1 members pooling, everyone rating alike, rounding) are stopped by the real noise,
shown by the attacker's own likelihoods: every rating stays possible, none more than e^ε times likelier.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bot.coaching.conversation import set_profile
from bot.coaching.data_rights import erase_user
from bot.coaching.trends import ALL_PARTICIPANTS, CohortTrends, cohort_trends
from bot.coaching.trends_noise import LaplaceNoise
from bot.coaching.trends_rules import ExactCell, Noise, publishable, published_mean
from bot.config import Settings
from bot.errors import InvalidInputError
from bot.slack.blocks.trends import trends_blocks
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise, cohort_of, rate

Q3 = datetime(2026, 8, 10, tzinfo=UTC)
IN_Q4 = datetime(2026, 11, 20, tzinfo=UTC)  # Q3 closed, Q4 open
IN_Q1 = datetime(2027, 2, 1, tzinfo=UTC)  # Q4 closed too


def _view(db: Database, now: datetime = IN_Q4, noise: Noise | None = None, **kwargs) -> CohortTrends:  # type: ignore[no-untyped-def]
    return cohort_trends(db.uow(), min_group=5, now=now, noise=noise or NoNoise(), **kwargs)


def _likelihoods(published: float, people: int, others: int, scale: float) -> list[float]:
    """P(the published mean | the last person rated r) for r = 1..5, to an attacker who knows the sum of
    everyone else's ratings exactly (`others`) and the noise's scale."""
    norm = math.tanh(1 / (2 * scale))  # discrete Laplace: P(x) = tanh(1/2b)·e^(−|x|/b)
    return [sum(norm * math.exp(-abs(x) / scale) for x in range(-600, 601)
                if published_mean(others + r + x, people) == published) for r in range(1, 6)]


def _assert_every_rating_stays_possible(published: float, people: int, others: int, noise: LaplaceNoise) -> None:
    odds = _likelihoods(published, people, others, noise.scale)
    assert all(p > 0 for p in odds), odds
    assert max(odds) / min(odds) <= math.exp(noise.epsilon) * (1 + 1e-9)


def test_attack_a_quarter_minus_its_own_last_month(db: Database) -> None:
    # Five rate in July; a sixth only in September. Quarter minus July-and-August would be the sixth alone.
    cohort_of(db, "Kent", [3, 3, 4, 4, 2], datetime(2026, 7, 10, tzinfo=UTC))
    rate(db, "late", "Kent", datetime(2026, 9, 20, tzinfo=UTC), listening=5)
    quarterly = _view(db)
    assert quarterly.group("Kent").people == (None, None, None, 6)
    monthly = _view(db, period="month", periods=3)  # a deployment switched to months asks for Q3's months
    assert monthly.periods == ("2026-08", "2026-09", "2026-10") and monthly.groups == ()


@pytest.mark.parametrize("change", ["one more person rates", "someone re-rates", "someone is erased"])
def test_attack_the_same_period_viewed_before_and_after(db: Database, change: str) -> None:
    people = cohort_of(db, "Kent", [3, 3, 4, 4, 2, 5], Q3)
    before = _view(db)
    if change == "one more person rates":  # dated inside the closed quarter, e.g. by an import
        rate(db, "newcomer", "Kent", Q3, listening=1)
    elif change == "someone re-rates":
        rate(db, people[0], None, Q3.replace(day=11), listening=1)
    else:
        erase_user(db.uow(), people[0], b"secret")
    assert _view(db) == before


def test_attack_the_open_period_viewed_before_and_after_a_rating(db: Database) -> None:
    cohort_of(db, "Kent", [3, 3, 4, 4, 2], IN_Q4)
    assert _view(db).groups == ()  # still open: nothing of it shows, so nothing can be subtracted
    rate(db, "sixth", "Kent", IN_Q4, listening=5)
    assert _view(db).groups == ()


def test_an_erased_person_is_left_out_of_the_periods_published_after(db: Database) -> None:
    people = cohort_of(db, "Kent", [3, 3, 4, 4, 2, 5], datetime(2026, 10, 5, tzinfo=UTC))
    erase_user(db.uow(), people[-1], b"secret")
    assert _view(db, now=IN_Q1).group("Kent").people[-1] == 5


def test_attack_a_person_moved_to_another_cohort(db: Database) -> None:
    cohort_of(db, "North", [3, 3, 4, 4, 2, 5], Q3)
    cohort_of(db, "South", [1, 2, 2, 1, 2], Q3)
    set_profile(db.uow(), "North-5", cohort="South")  # moved after rating: first view comes after the move
    trends = _view(db, periods=1)
    assert trends.group("North").people == (6,) and trends.group("South").people == (5,)
    assert trends.group("North").attributes[0].means == (3.5,)
    assert trends.group("South").attributes[0].means == (1.6,)


def test_attack_a_cohort_of_exactly_k_where_k_minus_one_members_pool_their_ratings(db: Database) -> None:
    noise = LaplaceNoise(1.0)
    cohort_of(db, "Kent", [2, 3, 3, 4, 5], Q3)
    [series] = _view(db, noise=noise, periods=1).group("Kent").attributes
    [published] = series.means
    assert published is not None
    # Kent-0..3 pool their ratings (12) to find Kent-4's: every value stays possible.
    _assert_every_rating_stays_possible(published, 5, 2 + 3 + 3 + 4, noise)


def test_attack_a_cohort_where_everyone_gave_the_same_rating(db: Database) -> None:
    noise = LaplaceNoise(1.0)
    cohort_of(db, "Kent", [5] * 6, Q3)
    [series] = _view(db, noise=noise, periods=1).group("Kent").attributes
    [published] = series.means
    assert published is not None
    # Even granting the attacker that the other five rated 5, the sixth's rating is not given away.
    _assert_every_rating_stays_possible(published, 6, 25, noise)


def test_attack_a_minimum_of_two_allowed_by_the_settings_with_the_manager_in_the_cohort(db: Database) -> None:
    with pytest.raises(ValidationError):
        Settings(trends_min_cohort=2)
    with pytest.raises(InvalidInputError):
        cohort_trends(db.uow(), min_group=2, now=IN_Q4)
    rate(db, "manager", "Kent", Q3, listening=4)
    rate(db, "colleague", "Kent", Q3, listening=1)
    assert _view(db).groups == ()


def test_attack_means_rounded_to_a_tenth_give_back_the_exact_sum() -> None:
    # Six people whose ratings sum to 20: 3.3 × 6 = 19.8 would round back to 20. With noise drawn afresh for each
    # of 300 independent publications, the attacker's rounding recovers the true sum only when the noise is 0.
    noise = LaplaceNoise(1.0)
    exact = [ExactCell("Kent", "", 6, 0), ExactCell("Kent", "listening", 6, 20)]
    means = [next(c.mean for c in publishable(exact, min_group=5, noise=noise) if c.scope == "cohort"
                  and c.attribute_id == "listening") for _ in range(300)]
    guessed = sum(round((m or 0) * 6) == 20 for m in means)
    assert len(set(means)) > 5 and guessed < 300 * 0.4
    assert all(p > 0 for p in _likelihoods(means[0], 6, 20 - 3, noise.scale))


def test_attack_the_number_of_hidden_groups_is_never_shown(db: Database) -> None:
    cohort_of(db, "Big", [4] * 7, Q3)
    cohort_of(db, "Other", [3] * 6, Q3)
    cohort_of(db, "Small", [1, 1], Q3)
    trends = _view(db)
    assert not any("hidden" in name for name in CohortTrends.__dataclass_fields__)
    text = str(trends_blocks(trends))
    assert "not shown" not in text and "smaller" not in text and "Small" not in text
    assert [g.label for g in trends.groups] == [ALL_PARTICIPANTS, "Big"]  # the smaller Other hid with Small
