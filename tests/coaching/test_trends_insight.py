"""What a manager reads: highlights that follow from the published numbers, tables with all nine attributes and
a change column that fits an 80-column terminal, and a CSV of exactly what the tables show."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from bot.cli.trends import print_trends
from bot.coaching.attributes import attributes
from bot.coaching.trends import ALL_PARTICIPANTS, AttributeSeries, CohortTrends, GroupTrend
from bot.coaching.trends_highlights import MIN_FALL, highlights
from bot.coaching.trends_table import NOT_PUBLISHED, table_csv, trends_table

NAMES = {a.id: a.name for a in attributes().attributes}
PERIODS = ("2026-Q1", "2026-Q2", "2026-Q3")


def _group(label: str, means: dict[str, tuple[float | None, ...]], people: int = 20,
           margins: float = 0.0, enrolled: tuple[int | None, ...] = (), rated: tuple[int | None, ...] = ()
           ) -> GroupTrend:
    n = len(next(iter(means.values()))) if means else len(PERIODS)
    series = tuple(AttributeSeries(a, NAMES[a], m, tuple(None if x is None else margins for x in m),
                                   tuple(None if x is None else people for x in m)) for a, m in means.items())
    return GroupTrend(label, rated or (people,) * n, series, enrolled or (people + 5,) * n, (None,) * n)


def _trends(*groups: GroupTrend, periods: tuple[str, ...] = PERIODS) -> CohortTrends:
    return CohortTrends("quarter", periods, 5, groups, 1.0)


def test_a_fall_in_one_cohort_is_said_in_plain_words_with_its_figures() -> None:
    trends = _trends(_group(ALL_PARTICIPANTS, {"letting-go": (3.6, 3.7, 3.4), "listening": (3.9, 4.0, 4.1)}),
                     _group("South", {"letting-go": (3.8, 3.8, 3.1), "listening": (4.0, 4.0, 4.0)}))
    texts = [h.text for h in highlights(trends)]
    assert texts[0] == "Letting go fell in the South cohort in 2026-Q3: 3.8 → 3.1."
    assert "Letting go fell across all participants in 2026-Q3: 3.7 → 3.4." in texts
    assert texts[-2:] == ["Letting go is among the lowest-rated across all participants in 2026-Q3: 3.4 out of 5.",
                          "Listening to stakeholders and partners is among the lowest-rated across all participants "
                          "in 2026-Q3: 4.1 out of 5."]


def test_a_fall_no_larger_than_its_noise_is_not_called_a_decline() -> None:
    noisy = _trends(_group(ALL_PARTICIPANTS, {"letting-go": (3.0, 3.9, 3.2)}, margins=0.6))  # 0.7 < 0.85
    assert [h.kind for h in highlights(noisy)] == ["lowest"]
    clear = _trends(_group(ALL_PARTICIPANTS, {"letting-go": (3.0, 3.9, 3.2)}, margins=0.4))  # 0.7 > 0.57
    assert [h.kind for h in highlights(clear)] == ["decline", "lowest"]


def test_a_fall_in_the_share_who_rated_is_flagged_from_the_published_counts() -> None:
    trends = _trends(_group(ALL_PARTICIPANTS, {"listening": (3.0, 3.0, 3.0)}, enrolled=(40, 40, 40),
                            rated=(30, 32, 24)))
    [fewer, _] = highlights(trends)
    assert fewer.text == "Fewer rated across all participants in 2026-Q3: 60% of those enrolled, down from 80%."


def test_nothing_is_highlighted_from_figures_that_were_not_published() -> None:
    trends = _trends(_group(ALL_PARTICIPANTS, {"letting-go": (4.5, None, 2.0), "listening": (None, None, None)}))
    assert [h.text for h in highlights(trends)] == [
        "Letting go is among the lowest-rated across all participants in 2026-Q3: 2.0 out of 5."]


means = st.one_of(st.none(), st.integers(10, 50).map(lambda n: n / 10))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(sorted(NAMES)), st.tuples(means, means, means), min_size=1),
                min_size=1, max_size=4))
def test_every_highlight_states_figures_that_are_in_the_published_numbers(groups: list[dict]) -> None:
    trends = _trends(*[_group(ALL_PARTICIPANTS if i == 0 else f"C{i}", g) for i, g in enumerate(groups)])
    by_name = {(g.label, s.name): s for g in trends.groups for s in g.attributes}
    for h in highlights(trends):
        series = by_name[(h.group, h.measure)]
        numbers = [float(x) for x in re.findall(r"\d\.\d", h.text)]
        assert h.measure in h.text and h.period == PERIODS[-1]
        if h.kind == "decline":
            assert numbers == [series.means[1], series.means[2]]
            assert series.means[1] - series.means[2] >= MIN_FALL - 1e-9
        else:
            shown = sorted(s.means[2] for s in trends.groups[0].attributes if s.means[2] is not None)
            assert numbers == [series.means[2]] and series.means[2] in shown[:2]


def _example() -> CohortTrends:
    return _trends(_group(ALL_PARTICIPANTS, {a: (3.1, 3.3, 3.5) for a in NAMES}),
                   _group("Partnerships across the south-east of England", {"letting-go": (3.8, None, 3.1)}))


def test_every_table_has_all_nine_attributes_and_the_change_since_the_chosen_baseline() -> None:
    table = trends_table(_example(), baseline="2026-Q2")
    south = [r for r in table.group_rows("Partnerships across the south-east of England") if r.kind == "attribute"]
    assert [r.measure for r in south] == list(NAMES.values())
    letting_go = next(r for r in south if r.measure == "Letting go")
    assert letting_go.values == ("3.8", NOT_PUBLISHED, "3.1") and letting_go.change == ""  # no Q2 figure
    assert next(r for r in table.rows if r.group == ALL_PARTICIPANTS and r.measure == "Letting go").change == "+0.2"
    assert trends_table(_example()).group_rows("Partnerships across the south-east of England")[-1].change == "-0.7"


def test_the_tables_fit_an_80_column_terminal_with_the_change_column_whole() -> None:
    out = Console(width=80, file=io.StringIO(), color_system=None, highlight=False)
    trends = CohortTrends("quarter", ("2025-Q4", *PERIODS), 5, tuple(
        GroupTrend(g.label, (None, *g.people), tuple(AttributeSeries(s.attribute_id, s.name, (None, *s.means))
                                                     for s in g.attributes), (None, *g.enrolled),
                   (None, *g.exercised)) for g in _example().groups), 1.0)
    print_trends(trends, trends_table(trends, baseline="2026-Q1"), out)
    text = out.file.getvalue()  # type: ignore[attr-defined]
    assert max(len(line) for line in text.splitlines()) <= 80
    listening = next(line for line in text.splitlines() if line.lstrip().startswith("Listening to stakeholders"))
    assert re.search(r"3\.5 +\+0\.4$", listening.rstrip())  # the latest figure and the change, on the row's first line
    assert re.search(r"Letting go +· +3\.8 +· +3\.1 +-0\.7", text)


def test_the_csv_holds_exactly_the_rows_and_cells_of_the_tables() -> None:
    table = trends_table(_example(), baseline="2026-Q1")
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert rows[0] == ["Group", "Measure", *PERIODS, "Change since 2026-Q1"]
    assert rows[1:] == [[r.group, r.measure, *r.values, r.change] for r in table.rows]
    assert len(rows) - 1 == 2 * (5 + 9)  # participation and all nine attributes, per group


def test_a_cohort_label_a_spreadsheet_would_run_is_written_as_text() -> None:
    table = trends_table(_trends(_group("=HYPERLINK(1)", {"listening": (3.0, 3.0, 3.0)})))
    assert {row[0] for row in list(csv.reader(io.StringIO(table_csv(table))))[1:]} == {"'=HYPERLINK(1)"}
