"""`coach people set` and `coach trends` as an administrator and a programme manager run them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.coaching.trends import closed_period_bounds
from bot.storage import connect
from tests.coaching.test_cli import coach

LAST_QUARTER = closed_period_bounds(datetime.now(UTC), "quarter", 1)[0] + timedelta(days=10)


def _cohort(data_dir: Path, label: str, ratings: list[int]) -> None:
    db = connect(f"sqlite:///{data_dir / 'coach.db'}")
    try:
        for i, rating in enumerate(ratings):
            user = f"{label}-{i}"
            set_profile(db.uow(), user, cohort=label)
            submit_assessment(db.uow(), user, {"listening": rating}, now=LAST_QUARTER)
    finally:
        db.close()


def test_a_programme_manager_sees_large_cohorts_only_as_tables_json_and_a_chart(tmp_path: Path) -> None:
    _cohort(tmp_path, "Kent", [2, 3, 4, 4, 5, 3])
    _cohort(tmp_path, "Other", [3, 3, 3, 3, 3])
    _cohort(tmp_path, "Tiny", [1, 1])
    refused = coach("trends", "--user", "officer-1", data_dir=tmp_path)
    assert refused.returncode == 3 and "programme managers only" in refused.stderr

    made = coach("people", "set", "boss", "--role", "programme_manager", data_dir=tmp_path)
    assert made.returncode == 0 and "role programme_manager" in made.stdout

    shown = coach("trends", "--user", "boss", "--chart", str(tmp_path / "trends.png"), "--heatmap",
                  str(tmp_path / "heatmap.png"), data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Kent" in shown.stdout and "deliberate noise" in shown.stdout
    assert "Tiny" not in shown.stdout and "Other" not in shown.stdout  # Other hides with Tiny
    assert "not shown" not in shown.stdout and "smaller" not in shown.stdout  # no count of hidden cohorts
    assert (tmp_path / "trends.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "heatmap.png").read_bytes().startswith(b"\x89PNG")
    bad_baseline = coach("trends", "--user", "boss", "--heatmap", str(tmp_path / "h.png"), "--baseline", "1999-Q1",
                         data_dir=tmp_path)
    assert bad_baseline.returncode == 2 and "--baseline must be one of the periods shown" in bad_baseline.stderr

    as_json = json.loads(coach("trends", "--user", "boss", "--json", "--periods", "1", data_dir=tmp_path).stdout)
    everyone, kent = as_json["groups"]
    [listening] = everyone["attributes"]
    assert everyone["label"] == "All participants" and everyone["people"] == [13]
    assert kent["label"] == "Kent" and kent["people"] == [6]
    assert 1.0 <= listening["means"][0] <= 5.0 and listening["margins"][0] > 0
    assert "Kent-0" not in json.dumps(as_json)
    again = json.loads(coach("trends", "--user", "boss", "--json", "--periods", "1", data_dir=tmp_path).stdout)
    assert again["groups"] == as_json["groups"]  # published once: the same noisy figures every time


def test_bad_trend_options_and_roles_are_refused_with_the_field_named(tmp_path: Path) -> None:
    coach("people", "set", "boss", "--role", "programme_manager", data_dir=tmp_path)
    bad_periods = coach("trends", "--user", "boss", "--periods", "0", data_dir=tmp_path)
    assert bad_periods.returncode == 2 and "periods must be between 1 and 24" in bad_periods.stderr
    bad_role = coach("people", "set", "boss", "--role", "king", data_dir=tmp_path)
    assert bad_role.returncode == 2 and "role must be one of" in bad_role.stderr
