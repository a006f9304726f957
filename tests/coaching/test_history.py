"""Personal history: trajectories, strengths and growth areas, change since first and last, the chart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coaching.assessments import submit_assessment
from bot.coaching.chart import render_history_chart
from bot.coaching.history import format_history, history_summary
from bot.storage import Database

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _submit(db: Database, week: int, **ratings: int) -> None:
    submit_assessment(db.uow(), "u1", {k.replace("_", "-"): v for k, v in ratings.items()},
                      now=START + timedelta(weeks=week))


def test_history_reports_strengths_growth_areas_and_changes(db: Database) -> None:
    _submit(db, 0, listening=2, letting_go=4, shared_vision=3)
    _submit(db, 1, listening=3, letting_go=5, shared_vision=3)
    _submit(db, 2, listening=4, letting_go=5, shared_vision=2)
    summary = history_summary(db.uow(), "u1")
    assert summary.submissions == 3 and summary.first_at == START
    listening = summary.trend("listening")
    assert (listening.first, listening.previous, listening.latest) == (2, 3, 4)
    assert (listening.change_since_first, listening.change_since_last) == (2, 1)
    assert summary.strengths == ("letting-go", "listening")
    assert summary.growth_areas == ("shared-vision",)
    assert "communicating-vision" in summary.unrated
    text = format_history(summary)
    assert "Strengths: Letting go" in text and "Growth areas: Setting a clear vision (2/5)" in text
    assert "+2" in text and "-1" in text


def test_a_user_with_no_ratings_is_told_how_to_start(db: Database) -> None:
    summary = history_summary(db.uow(), "nobody")
    assert summary.trends == () and "coach assess" in format_history(summary)
    assert render_history_chart(summary).startswith(b"\x89PNG")


def test_the_chart_shows_all_nine_attributes_rated_or_not_written_where_asked(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.coaching.attributes import attributes
    from bot.coaching.history_chart import chart_panels

    for week in range(60):
        _submit(db, week, listening=1 + week % 5, letting_go=3, shared_vision=2, risk_management=4,
                building_relationships=5)
    summary = history_summary(db.uow(), "u1")
    panels = chart_panels(summary)
    assert sorted(name for name, _ in panels) == sorted(a.name for a in attributes().attributes)
    assert [name for name, trend in panels if trend is not None and trend.change_since_first] == [
        "Listening to stakeholders and partners"]  # the one that moved is the one highlighted
    path = tmp_path / "history.png"
    data = render_history_chart(summary, path)
    assert path.read_bytes() == data and data.startswith(b"\x89PNG")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (720, 715)  # three by three panels, nearly square: a thumbnail keeps them apart


def test_the_chart_fingerprint_changes_only_when_the_ratings_do(db: Database) -> None:
    from bot.coaching.history import chart_fingerprint

    _submit(db, 0, listening=2)
    first = chart_fingerprint(history_summary(db.uow(), "u1"))
    assert chart_fingerprint(history_summary(db.uow(), "u1")) == first
    _submit(db, 1, listening=2)  # the same rating again is a new point on the chart
    second = chart_fingerprint(history_summary(db.uow(), "u1"))
    assert second != first
    assert chart_fingerprint(history_summary(db.uow(), "nobody")) not in (first, second)


def test_a_published_chart_is_remembered_exported_and_erased_with_the_user(db: Database) -> None:
    from bot.coaching.data_rights import erase_user, export_user_data
    from bot.coaching.history import forget_published_chart, published_chart, remember_published_chart

    assert remember_published_chart(db.uow(), "u1", "f0", "F0", now=START) is None  # no such user: nothing kept
    _submit(db, 0, listening=2)
    assert remember_published_chart(db.uow(), "u1", "f1", "F1", now=START) == []
    assert remember_published_chart(db.uow(), "u1", "f2", "F2", now=START + timedelta(days=1)) == ["F1"]
    chart = published_chart(db.uow(), "u1")
    assert chart is not None and (chart.fingerprint, chart.ref) == ("f2", "F2")
    forget_published_chart(db.uow(), "u1", ["F1"])  # once the caller has deleted the superseded file
    assert [r["ref"] for r in export_user_data(db.uow(), "u1")["tables"]["published_charts"]] == ["F2"]
    forget_published_chart(db.uow(), "u1")
    assert published_chart(db.uow(), "u1") is None
    remember_published_chart(db.uow(), "u1", "f3", "F3")
    assert erase_user(db.uow(), "u1", b"secret")["published_charts"] == 1
    assert published_chart(db.uow(), "u1") is None


def test_two_uploads_racing_each_other_both_stay_known_until_deleted(db: Database) -> None:
    from bot.coaching.data_rights import erase_user
    from bot.coaching.history import published_charts, remember_published_chart

    _submit(db, 0, listening=2)
    # Two workers saw no chart for these ratings and both uploaded one: each learns of the other's copy.
    assert remember_published_chart(db.uow(), "u1", "f1", "A", now=START) == []
    assert remember_published_chart(db.uow(), "u1", "f1", "B", now=START) == ["A"]
    assert sorted(c.ref for c in published_charts(db.uow(), "u1")) == ["A", "B"]
    assert erase_user(db.uow(), "u1", b"secret")["published_charts"] == 2  # erasure finds every copy
