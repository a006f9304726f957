"""Failures: a writer killed mid-submission, and the database going away under a running service."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.coaching.assessments import submit_assessment
from bot.errors import StorageUnavailableError
from bot.storage import connect
from bot.storage.orm import RatingRow, SubmissionRow
from tests.storage.databases import PG_URL, make_database_url
from tests.storage.tcp_proxy import TcpProxy

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_process_killed_mid_submissions_leaves_no_half_submission(database_url: str) -> None:
    connect(database_url).close()  # migrate before the worker starts
    worker = subprocess.Popen([sys.executable, "-m", "tests.storage.submit_worker", database_url], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    for _ in range(30):  # let it get well into its stride, then kill it without warning
        worker.stdout.readline()
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    db = connect(database_url)
    with db.engine.connect() as connection:
        per_submission = connection.execute(
            select(SubmissionRow.id, func.count(RatingRow.id)).outerjoin(RatingRow, RatingRow.submission_id ==
                                                                          SubmissionRow.id).group_by(SubmissionRow.id)
        ).all()
        orphans = connection.execute(select(func.count()).select_from(RatingRow).where(
            RatingRow.submission_id.not_in(select(SubmissionRow.id)))).scalar_one()
    db.close()
    assert len(per_submission) >= 30
    assert {count for _, count in per_submission} == {9}
    assert orphans == 0


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="COACH_TEST_DATABASE_URL not set")
def test_the_database_going_away_gives_a_retryable_error_and_the_retry_stores_once(tmp_path: Path) -> None:
    assert PG_URL
    urls = make_database_url("postgresql", tmp_path)
    direct_url = next(urls)
    try:
        parsed = make_url(direct_url)
        proxy = TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
        via_proxy = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        db = connect(via_proxy)
        assert submit_assessment(db.uow(), "u1", {"listening": 3}, submission_key="before").created
        proxy.stop()
        with pytest.raises(StorageUnavailableError) as info:
            submit_assessment(db.uow(), "u1", {"listening": 4}, notes="during", submission_key="during")
        assert info.value.retryable and "Nothing was stored" in str(info.value)
        proxy = TcpProxy(proxy.target, port=proxy.port)  # the database comes back
        assert submit_assessment(db.uow(), "u1", {"listening": 4}, notes="during", submission_key="during").created
        assert not submit_assessment(db.uow(), "u1", {"listening": 4}, submission_key="during").created
        db.close()
        proxy.stop()
        check = connect(direct_url)
        with check.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(SubmissionRow)).scalar_one() == 2
        check.close()
    finally:
        for _ in urls:
            pass
