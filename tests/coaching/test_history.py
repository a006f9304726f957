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
    assert "Strengths: Letting go" in text and "Growth areas: Setting a shared vision (2/5)" in text
    assert "+2" in text and "-1" in text


def test_a_user_with_no_ratings_is_told_how_to_start(db: Database) -> None:
    summary = history_summary(db.uow(), "nobody")
    assert summary.trends == () and "coach assess" in format_history(summary)
    assert render_history_chart(summary).startswith(b"\x89PNG")


def test_the_chart_is_a_png_of_at_most_four_lines_written_where_asked(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for week in range(60):
        _submit(db, week, listening=1 + week % 5, letting_go=3, shared_vision=2, risk_management=4,
                building_relationships=5)
    path = tmp_path / "history.png"
    data = render_history_chart(history_summary(db.uow(), "u1"), path)
    assert path.read_bytes() == data and data.startswith(b"\x89PNG")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (640, 480)
