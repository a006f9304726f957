"""`coach people set` and `coach trends` as an administrator and a programme manager run them."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy
import pytest

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


def test_the_csv_holds_what_the_tables_show_and_the_html_report_stands_alone(tmp_path: Path) -> None:
    _cohort(tmp_path, "Kent", [2, 3, 4, 4, 5, 3])
    _cohort(tmp_path, "Essex", [3, 3, 4, 3, 3])
    coach("people", "set", "boss", "--role", "programme_manager", data_dir=tmp_path)
    shown = coach("trends", "--user", "boss", "--periods", "2", "--csv", str(tmp_path / "t.csv"), "--html",
                  str(tmp_path / "t.html"), data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    rows = list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8")))
    assert rows[0][0:2] == ["Group", "Measure"] and rows[0][-1].startswith("Change since ")
    for group, measure, *cells in rows[1:]:  # every CSV row is a row of the printed table, cell for cell
        row = re.escape(measure.split()[0]) + r"[^\n]*? " + r" +".join(re.escape(c) for c in cells if c) + r" *$"
        assert re.search(row, shown.stdout, re.MULTILINE), (group, measure, cells)
    assert {r[0] for r in rows[1:]} == {"All participants", "Essex", "Kent"}
    assert sum(r[1] == "Letting go" for r in rows) == 3  # all nine attributes, even with no figure published
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert page.count("src='data:image/png;base64,") == 2 and "http" not in page.replace("http-equiv", "")
    assert "Highlights" in page and "Kent" in page and "Kent-0" not in page


def test_the_html_report_renders_in_a_real_headless_browser(tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("needs Chromium, not found on PATH as chromium or chromium-browser. Install it and run again: "
                    "Debian `sudo apt-get install -y chromium`, Ubuntu `sudo snap install chromium`, macOS "
                    "`brew install --cask chromium`. KEEP_TRENDS_SCREENSHOT=/tmp/report.png keeps the screenshot.")
    _cohort(tmp_path, "Kent", [2, 3, 4, 4, 5, 3])
    _cohort(tmp_path, "Essex", [3, 3, 4, 3, 3])
    coach("people", "set", "boss", "--role", "programme_manager", data_dir=tmp_path)
    report, shot = tmp_path / "report.html", tmp_path / "report.png"
    assert coach("trends", "--user", "boss", "--html", str(report), data_dir=tmp_path).returncode == 0
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,2400",
                          f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as image:
        pixels = numpy.asarray(image.convert("RGB"), dtype=int)
    # the heatmap's colours drew: a page whose images failed would be black text on white only
    coloured = int(((pixels.max(axis=2) - pixels.min(axis=2)) > 80).sum())
    assert coloured > 5000  # three heatmap cells alone are some 12,000 pixels
    if keep := os.environ.get("KEEP_TRENDS_SCREENSHOT"):  # a copy to look at
        shutil.copy(shot, keep)
