"""The trends heatmap: every group shown by all nine attributes, unpublished cells marked, change since a
baseline; it draws only what was published."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coaching.attributes import attributes
from bot.coaching.trends import ALL_PARTICIPANTS, cohort_trends
from bot.coaching.trends_heatmap import heatmap, render_heatmap
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise, rate

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def test_the_heatmap_has_all_nine_attributes_marks_what_was_not_published_and_the_change(db: Database) -> None:
    for i in range(6):
        rate(db, f"n{i}", "North", datetime(2026, 5, 1, tzinfo=UTC), listening=2, letting_go=4)
        rate(db, f"n{i}", "North", datetime(2026, 8, 1, tzinfo=UTC), listening=3,
             **({"letting_go": 1} if i < 3 else {}))  # only three rate letting go in Q3: not published
    trends = cohort_trends(db.uow(), min_group=5, periods=2, now=NOW, noise=NoNoise())
    found = heatmap(trends, baseline="2026-Q2")
    assert found.period == "2026-Q3" and found.groups == (ALL_PARTICIPANTS, "North")
    assert [a for a, _ in found.attributes] == list(attributes().ids) and len(found.attributes) == 9
    north = dict(zip((a for a, _ in found.attributes), found.cells[1], strict=True))
    assert (north["listening"].mean, north["listening"].people, north["listening"].change) == (3.0, 6, 1.0)
    assert north["letting-go"].mean is None and north["letting-go"].people is None
    assert north["shared-vision"].mean is None  # never rated
    assert render_heatmap(found).startswith(b"\x89PNG")


def test_a_heatmap_of_nothing_published_still_renders(db: Database) -> None:
    trends = cohort_trends(db.uow(), min_group=5, periods=1, now=NOW, noise=NoNoise())
    found = heatmap(trends)
    assert found.groups == () and render_heatmap(found).startswith(b"\x89PNG")
