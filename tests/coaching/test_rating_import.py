"""`coach import ratings`: earlier ratings checked row by row (each refusal names its line), stored all or
nothing, and idempotent; hostile files (huge, not UTF-8, formulas, duplicates, odd digits) are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.coaching.attributes import attributes
from bot.coaching.data_rights import erase_user
from bot.coaching.history import history_summary
from bot.coaching.rating_csv import MAX_BYTES, ImportRefusedError, parse
from bot.coaching.rating_import import import_ratings
from bot.coaching.roles import grant_manager, operator
from bot.coaching.trends import trends_for_manager
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise

HEADER = "person,cohort,attribute,rating,date\n"
NOW = datetime(2026, 11, 20, tzinfo=UTC)
SECRET = b"0123456789abcdef-secret"
IDS = attributes().ids


def _parse(body: str | bytes, header: str = HEADER):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, bytes) else (header + body).encode("utf-8")
    return parse(data, IDS, today=NOW.date())


def _refusals(body: str | bytes, header: str = HEADER) -> list[str]:
    with pytest.raises(ImportRefusedError) as refused:
        _parse(body, header)
    return refused.value.problems


def test_the_columns_may_come_in_any_order_with_a_bom_and_blank_lines() -> None:
    rows, repeats = _parse("\ufeffDate , Rating,attribute,COHORT,person\n\n2026-03-02,4,listening,Kent,ann@x.gov.uk\n"
                           .encode("utf-8"), header="")
    [row] = rows
    assert (row.person, row.cohort, row.attribute, row.rating, row.day, row.line) == (
        "ann@x.gov.uk", "Kent", "listening", 4, date(2026, 3, 2), 3)
    assert repeats == 0


@pytest.mark.parametrize(("body", "expected"), [
    ("ann,Kent,listening,３,2026-03-02\n", "line 2, rating"),  # a full-width digit
    ("ann,Kent,listening,²,2026-03-02\n", "line 2, rating"),
    ("ann,Kent,listening,3.0,2026-03-02\n", "line 2, rating"),
    ("ann,Kent,listening,6,2026-03-02\n", "line 2, rating"),
    ("ann,Kent,charisma,3,2026-03-02\n", "line 2, attribute: unknown attribute 'charisma'"),
    ("ann,Kent,listening,3,02/03/2026\n", "line 2, date"),
    ("ann,Kent,listening,3,2026-02-30\n", "not a date in the calendar"),
    ("ann,Kent,listening,3,2027-01-01\n", "in the future"),
    ("ann,Kent,listening,3\n", "line 2: 4 fields where the header has 5"),
    (",Kent,listening,3,2026-03-02\n", "line 2, user_id"),
    ("=cmd|' /C calc'!A0,Kent,listening,3,2026-03-02\n", "line 2, person: begins with '='"),
    ("ann,@SUM(1+1),listening,3,2026-03-02\n", "line 2, cohort: begins with '@'"),
    ("ann, +44 20,listening,3,2026-03-02\n", "line 2, cohort: begins with '+'"),
    ("ann,\tKent,listening,3,2026-03-02\n", "line 2, cohort: begins with"),
    ("demo:x,Kent,listening,3,2026-03-02\n", "kept for demo data"),
    ('ann,"Kent\nEssex",listening,3,2026-03-02\n', "line 2, cohort: The cohort label cannot hold control"),
    ("ann,Kent,listening,3,2026-03-02\nann,Kent,listening,4,2026-03-02\n", "line 3: the same person, attribute and "
                                                                          "date as line 2 with a different rating"),
    ("ann,Kent,listening,3,2026-03-02\nann,Essex,letting-go,4,2026-03-02\n", "line 3: a different cohort from line 2"),
    ('ann,"Kent,listening,3,2026-03-02\n', "not readable as CSV"),
])
def test_a_bad_row_is_refused_naming_its_line(body: str, expected: str) -> None:
    assert any(expected in problem for problem in _refusals(body)), _refusals(body)


@pytest.mark.parametrize(("header", "expected"), [
    ("person,cohort,attribute,rating\n", "missing date"),
    ("person,cohort,attribute,rating,date,notes\n", "unknown 'notes'"),
    ("person,person,cohort,attribute,rating,date\n", "repeated person"),
])
def test_a_bad_header_is_refused(header: str, expected: str) -> None:
    [problem] = _refusals("", header=header)
    assert problem.startswith("line 1: the header must name") and expected in problem


def test_every_bad_line_is_reported_not_only_the_first() -> None:
    body = "".join(f"p{i},Kent,listening,{9 if i % 2 else 3},2026-03-02\n" for i in range(60))
    problems = _refusals(body)
    assert len(problems) == 30 and problems[0].startswith("line 3,")
    with pytest.raises(ImportRefusedError, match=r"30 problem\(s\)[\s\S]*… and 10 more"):
        _parse(body)


@pytest.mark.parametrize(("data", "expected"), [
    ((HEADER + "ann,Kent,listening,3,2026-03-02\nbob,K\xe9nt,listening,3,2026-03-02\n").encode("latin-1"),
     "line 3: bytes that are not UTF-8"),
    ((HEADER + "ann,Kent,listening,3,2026-03-02\x00\n").encode("utf-8"), "line 2: a NUL character"),
    (b"", "the file is empty"),
    (b"x" * (MAX_BYTES + 1), "larger than"),
])
def test_a_hostile_file_is_refused_whole(data: bytes, expected: str) -> None:
    [problem] = _refusals(data)
    assert expected in problem


def test_exact_repeats_are_counted_once() -> None:
    rows, repeats = _parse("ann,Kent,listening,3,2026-03-02\nann,Kent,listening,3,2026-03-02\n")
    assert len(rows) == 1 and repeats == 1


FILE = (HEADER + "ann,Kent,listening,2,2025-02-03\nann,Kent,letting-go,3,2025-02-03\n"
        "ann,Essex,listening,4,2025-09-10\nbob,,listening,5,2025-09-10\n").encode("utf-8")


def _import(db: Database, data: bytes = FILE):  # type: ignore[no-untyped-def]
    return import_ratings(db.uow(), data, actor="operator:alice", secret=SECRET, now=NOW)


def _count(db: Database) -> int:
    with db.uow() as uow:
        return uow.assessments.count()


def test_an_import_is_stored_once_and_again_adds_nothing(db: Database) -> None:
    first = _import(db)
    assert (first.rows, first.added, first.already, first.people, first.new_people) == (4, 4, 0, 2, 2)
    again = _import(db)
    assert (again.added, again.already) == (0, 4) and _count(db) == 3
    more = _import(db, FILE + b"ann,Essex,letting-go,5,2025-09-10\n")  # one new line joins its day's submission
    assert (more.added, more.already) == (1, 4) and _count(db) == 3
    summary = history_summary(db.uow(), "ann")
    assert summary is not None and summary.submissions == 2
    with db.uow() as uow:
        ann = uow.users.get("ann")
        assert ann is not None and ann.cohort == "Essex"  # the cohort of their latest row
        assert [(e.actor, e.action) for e in uow.audit.entries(subject="ann")] == [
            ("operator:alice", "ratings_imported"), ("operator:alice", "ratings_imported")]


def test_one_bad_row_or_a_contradiction_stores_nothing(db: Database) -> None:
    with pytest.raises(ImportRefusedError):
        _import(db, FILE + b"carl,Kent,listening,7,2025-09-10\n")
    assert _count(db) == 0
    _import(db)
    with pytest.raises(ImportRefusedError, match="line 2: an earlier import stored 2"):
        _import(db, FILE.replace(b"ann,Kent,listening,2", b"ann,Kent,listening,5")
                + b"dora,Kent,listening,3,2025-09-10\n")
    with db.uow() as uow:
        assert uow.users.get("dora") is None


def test_someone_who_was_erased_is_not_brought_back_by_an_import(db: Database) -> None:
    _import(db)
    erase_user(db.uow(), "bob", SECRET)
    with pytest.raises(ImportRefusedError, match="line 5: this person's data was erased at their request"):
        _import(db)
    with db.uow() as uow:
        assert uow.users.get("bob") is None


def test_imported_ratings_show_in_trends_unless_their_period_was_already_published(db: Database) -> None:
    grant_manager(db.uow(), operator("operator:alice"), "boss", now=NOW)
    five = "".join(f"p{i},Kent,listening,{3 + i % 2},2026-05-0{i + 1}\n" for i in range(5))
    _import(db, (HEADER + five).encode())
    trends = trends_for_manager(db.uow(), "boss", min_group=5, now=NOW, noise=NoNoise(), periods=2)
    assert trends.group("Kent").people == (5, None)  # 2026-Q2, published now
    late = _import(db, (HEADER + "p9,Kent,listening,1,2026-06-01\n").encode())
    assert late.in_published == {"2026-Q2": 1}
    again = trends_for_manager(db.uow(), "boss", min_group=5, now=NOW, noise=NoNoise(), periods=2)
    assert again.group("Kent").people == (5, None)  # frozen: the late rating never shows
