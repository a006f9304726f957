"""`coach people set` and `coach trends` as an administrator and a programme manager run them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.storage import connect
from tests.coaching.test_cli import coach


def _cohort(data_dir: Path, label: str, ratings: list[int]) -> None:
    db = connect(f"sqlite:///{data_dir / 'coach.db'}")
    try:
        for i, rating in enumerate(ratings):
            user = f"{label}-{i}"
            set_profile(db.uow(), user, cohort=label)
            submit_assessment(db.uow(), user, {"listening": rating}, now=datetime.now(UTC))
    finally:
        db.close()


def test_a_programme_manager_sees_large_cohorts_only_as_tables_json_and_a_chart(tmp_path: Path) -> None:
    _cohort(tmp_path, "Kent", [2, 3, 4, 4, 5])
    _cohort(tmp_path, "Tiny", [1, 1])
    refused = coach("trends", "--user", "officer-1", data_dir=tmp_path)
    assert refused.returncode == 3 and "programme managers only" in refused.stderr

    made = coach("people", "set", "boss", "--role", "programme_manager", data_dir=tmp_path)
    assert made.returncode == 0 and "role programme_manager" in made.stdout

    shown = coach("trends", "--user", "boss", "--chart", str(tmp_path / "trends.png"), data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Kent" in shown.stdout and "3.6" in shown.stdout and "Tiny" not in shown.stdout
    assert "1 smaller cohort(s) not shown" in shown.stdout
    assert (tmp_path / "trends.png").read_bytes().startswith(b"\x89PNG")

    as_json = json.loads(coach("trends", "--user", "boss", "--json", "--periods", "1", data_dir=tmp_path).stdout)
    [kent] = as_json["groups"]
    assert kent["label"] == "Kent" and kent["people"] == [5] and kent["attributes"][0]["means"] == [3.6]
    assert "Kent-0" not in json.dumps(as_json)


def test_bad_trend_options_and_roles_are_refused_with_the_field_named(tmp_path: Path) -> None:
    coach("people", "set", "boss", "--role", "programme_manager", data_dir=tmp_path)
    bad_period = coach("trends", "--user", "boss", "--period", "fortnight", data_dir=tmp_path)
    assert bad_period.returncode == 2 and "period must be one of month, quarter" in bad_period.stderr
    bad_role = coach("people", "set", "boss", "--role", "king", data_dir=tmp_path)
    assert bad_role.returncode == 2 and "role must be one of" in bad_role.stderr
