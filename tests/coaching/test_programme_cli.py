"""The operator's commands for programme data, as run at a terminal: `coach managers`, `coach demo-data`,
`coach import ratings`, `coach my-data managers-view`."""

from __future__ import annotations

import json
from pathlib import Path

from bot.cli.operator import operator_id
from bot.storage import connect
from tests.coaching.test_cli import coach


def _audit(data_dir: Path, subject: str) -> list[tuple[str | None, str]]:
    db = connect(f"sqlite:///{data_dir / 'coach.db'}")
    try:
        with db.uow() as uow:
            return [(e.actor, e.action) for e in uow.audit.entries(subject=subject)]
    finally:
        db.close()


def test_an_operator_grants_limits_lists_and_revokes_the_manager_role(tmp_path: Path) -> None:
    made = coach("managers", "grant", "boss", "--cohort", "Kent", data_dir=tmp_path)
    assert made.returncode == 0 and "sees cohorts Kent" in made.stdout
    listed = coach("managers", "list", data_dir=tmp_path)
    assert "boss: cohorts Kent" in listed.stdout
    refused = coach("trends", "--user", "boss", "--cohort", "Essex", data_dir=tmp_path)
    assert refused.returncode == 3 and "your own cohorts only: Kent" in refused.stderr
    gone = coach("managers", "revoke", "boss", data_dir=tmp_path)
    assert gone.returncode == 0
    assert coach("managers", "list", data_dir=tmp_path).stdout.strip() == "No programme managers."
    assert coach("managers", "revoke", "boss", data_dir=tmp_path).returncode == 2
    me = operator_id()
    assert [(me, "manager_granted"), (me, "trends_refused"), (me, "manager_revoked")] == [
        e for e in _audit(tmp_path, "boss") if e[1] != "trends_viewed"]


def test_demo_data_is_refused_beside_real_people_then_forced_then_removed(tmp_path: Path) -> None:
    coach("assess", "--user", "real", "--rating", "listening=3", "--yes", data_dir=tmp_path)
    refused = coach("demo-data", "--people", "30", "--until", "2026-11-20", data_dir=tmp_path)
    assert refused.returncode == 2 and "not demo data" in refused.stderr and "--force" in refused.stderr
    made = coach("demo-data", "--people", "30", "--months", "12", "--until", "2026-11-20", "--force",
                 data_dir=tmp_path)
    assert made.returncode == 0 and "Demo programme: 30 people" in made.stdout
    shown = coach("trends", "--user", "demo:manager-programme", "--json", data_dir=tmp_path)
    assert shown.returncode == 0 and json.loads(shown.stdout)["groups"]
    removed = coach("demo-data", "--remove", data_dir=tmp_path)
    assert removed.returncode == 0 and "users 32" in removed.stdout
    assert "listening" in coach("my-data", "export", "--user", "real", data_dir=tmp_path).stdout
    bad = coach("demo-data", "--until", "next week", data_dir=tmp_path)
    assert bad.returncode == 2 and "--until" in bad.stderr


def test_import_ratings_all_or_nothing_then_once(tmp_path: Path) -> None:
    good = "person,cohort,attribute,rating,date\nann,Kent,listening,3,2026-02-03\nbob,Kent,letting-go,4,2026-02-03\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(good + "carl,Kent,listening,٣,2026-02-03\ndan,=HYPERLINK(\"x\"),listening,2,2026-02-03\n",
                   encoding="utf-8")
    refused = coach("import", "ratings", str(bad), data_dir=tmp_path)
    assert refused.returncode == 2
    assert "line 4, rating" in refused.stderr and "line 5, cohort: begins with '='" in refused.stderr
    assert coach("my-data", "export", "--user", "ann", data_dir=tmp_path).stdout.count('"rating"') == 0
    file = tmp_path / "ratings.csv"
    file.write_text(good, encoding="utf-8")
    first = coach("import", "ratings", str(file), data_dir=tmp_path)
    assert first.returncode == 0 and "2 added, 0 already imported" in first.stdout
    assert "privacy notice" in first.stderr
    again = coach("import", "ratings", str(file), data_dir=tmp_path)
    assert again.returncode == 0 and "0 added, 2 already imported" in again.stdout
    assert _audit(tmp_path, "ann") == [(operator_id(), "ratings_imported")]
    missing = coach("import", "ratings", str(tmp_path / "nope.csv"), data_dir=tmp_path)
    assert missing.returncode == 2


def test_managers_view_for_a_person_at_the_terminal(tmp_path: Path) -> None:
    coach("demo-data", "--people", "40", "--months", "12", "--cohorts", "2", "--until", "2026-11-20",
          data_dir=tmp_path)
    coach("trends", "--user", "demo:manager-programme", data_dir=tmp_path)  # publishes the closed quarters
    person = "demo:kent-and-medway-00001"
    shown = coach("my-data", "managers-view", "--user", person, "--json", data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    assert view["periods"] and view["rules"] and "Kent and Medway" in view["viewers"]
    text = coach("my-data", "managers-view", "--user", person, data_dir=tmp_path).stdout
    assert "What protects them" in text and "Who can see these" in text
    assert (operator_id(), "managers_view_read") in _audit(tmp_path, person)
