"""Reading a CSV of earlier ratings (a programme moving from paper or another tool), row by row, with the line
number in every refusal. Pure: no database. The columns (a header row, any order, names case-insensitive):

    person     the person's id in the coach (e.g. slack:T123:U456 or an e-mail address)
    cohort     their cohort when they gave the rating (blank: none)
    attribute  an attribute id, e.g. listening (knowledge/attributes.yaml; a wrong one is refused with the list)
    rating     the digit 1, 2, 3, 4 or 5 (ASCII only: "３", "3.0" or "three" are refused)
    date       the day it was given, YYYY-MM-DD (not in the future)

Hostile files are refused, not half-read: over MAX_BYTES or MAX_ROWS, bytes that are not UTF-8 (the line named),
NUL characters, a cell beginning with = + - @ (a spreadsheet would run it as a formula when the data is exported
again), a field in two cells with different values, a person and day with two cohorts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from bot.coaching import validation
from bot.coaching.demo_data import DEMO_PREFIX
from bot.errors import InvalidInputError

COLUMNS = ("person", "cohort", "attribute", "rating", "date")
MAX_BYTES = 50_000_000
MAX_ROWS = 500_000
SHOWN_PROBLEMS = 20
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
T = TypeVar("T")


@dataclass(frozen=True)
class ImportRow:
    line: int
    person: str
    cohort: str | None
    attribute: str
    rating: int
    day: date


class ImportRefusedError(InvalidInputError):
    """The file cannot be imported; `problems` holds every refusal found, each with its line number."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:SHOWN_PROBLEMS]
        more = f"\n… and {len(problems) - len(shown)} more." if len(problems) > len(shown) else ""
        super().__init__(f"Nothing was imported: {len(problems)} problem(s) in the file.\n" + "\n".join(shown) + more,
                         field="file")


def parse(data: bytes, known_attributes: Iterable[str], *, today: date) -> tuple[list[ImportRow], int]:
    """The rows of the file, and how many exact repeats were left out; ImportRefusedError if anything is wrong."""
    if len(data) > MAX_BYTES:
        raise ImportRefusedError([f"the file is larger than {MAX_BYTES:,} bytes; split it into smaller files."])
    text = _decoded(data)
    known = list(known_attributes)
    problems: list[str] = []
    rows: list[ImportRow] = []
    seen: dict[tuple[str, str, date], ImportRow] = {}
    cohorts: dict[tuple[str, date], ImportRow] = {}
    repeats = 0
    checked: dict[tuple[str, str], object] = {}  # a person, cohort or date is checked once however often it recurs
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1  # a quoted field may span lines: name the first
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = _header(record, problems)
                if header is None:
                    break
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                problems.append(f"line {start}: more than {MAX_ROWS:,} rows; split the file.")
                break
            row = _row(start, record, header, known, today, problems, checked)
            if row is None:
                continue
            key = (row.person, row.attribute, row.day)
            if (earlier := seen.get(key)) is not None:
                if earlier.rating == row.rating:
                    repeats += 1
                else:
                    problems.append(f"line {start}: the same person, attribute and date as line {earlier.line} with a "
                                    "different rating; keep one.")
                continue
            same_day = cohorts.setdefault((row.person, row.day), row)
            if same_day.cohort != row.cohort:
                problems.append(f"line {start}: a different cohort from line {same_day.line} for the same person "
                                "and date.")
                continue
            seen[key] = row
            rows.append(row)
    except csv.Error as exc:
        problems.append(f"line {line}: not readable as CSV ({exc}).")
    if header is None and not problems:
        problems.append("the file is empty: the first line must name the columns " + ", ".join(COLUMNS) + ".")
    if problems:
        raise ImportRefusedError(problems)
    return rows, repeats


def _decoded(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportRefusedError([f"line {line}: bytes that are not UTF-8 text; save the file as UTF-8 (in Excel: "
                                  "CSV UTF-8)."]) from None
    if (nul := text.find("\x00")) >= 0:
        raise ImportRefusedError([f"line {text.count(chr(10), 0, nul) + 1}: a NUL character; this is not a text "
                                  "file."])
    return text


def _header(record: list[str], problems: list[str]) -> list[str] | None:
    names = [cell.strip().lower() for cell in record]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if missing or unknown or doubled:
        said = []
        if missing:
            said.append("missing " + ", ".join(missing))
        if unknown:
            said.append("unknown " + ", ".join(validation.shown(n, 30) for n in unknown[:5]))
        if doubled:
            said.append("repeated " + ", ".join(doubled))
        problems.append(f"line 1: the header must name the columns {', '.join(COLUMNS)} ({'; '.join(said)}).")
        return None
    return names


def _row(line: int, record: list[str], header: list[str], known: list[str], today: date, problems: list[str],
         checked: dict[tuple[str, str], object]) -> ImportRow | None:
    if len(record) != len(header):
        problems.append(f"line {line}: {len(record)} fields where the header has {len(header)}.")
        return None
    cells = dict(zip(header, record, strict=True))
    found = len(problems)
    for name in ("person", "cohort"):
        value = cells[name]
        if value.startswith(FORMULA_START) or value.strip().startswith(FORMULA_START[:4]):
            problems.append(f"line {line}, {name}: begins with {validation.shown(value.strip()[:1] or value[:1])}, "
                            "which a spreadsheet would run as a formula; remove it.")
    if len(problems) > found:
        return None
    try:
        person = _once(checked, "person", cells["person"], _person)
        cohort = _once(checked, "cohort", cells["cohort"], validation.cohort)
        attribute = cells["attribute"].strip().lower()
        if attribute not in known:
            raise InvalidInputError(f"unknown attribute {validation.shown(attribute, 30)}; known: {', '.join(known)}.",
                                    field="attribute")
        rating = validation.rating(cells["rating"], "rating")
        day = _once(checked, "date", cells["date"], lambda value: _day(value, today))
    except InvalidInputError as exc:
        problems.append(f"line {line}, {exc.field or 'value'}: {exc}")
        return None
    return ImportRow(line, person, cohort, attribute, rating, day)


def _once(checked: dict[tuple[str, str], object], field: str, value: str, check: Callable[[str], T]) -> T:
    """`check(value)`, remembered (its result or its refusal) for the next row with the same value."""
    key = (field, value)
    if key not in checked:
        try:
            checked[key] = check(value)
        except InvalidInputError as exc:
            checked[key] = exc
    result = checked[key]
    if isinstance(result, InvalidInputError):
        raise result
    return result  # type: ignore[return-value]


def _person(value: str) -> str:
    person = validation.user_id(value.strip())
    if person.startswith(DEMO_PREFIX):
        raise InvalidInputError(f"ids beginning {DEMO_PREFIX!r} are kept for demo data.", field="person")
    return person


def _day(value: str, today: date) -> date:
    text = validation.storable(value, "date").strip()
    if not DAY.fullmatch(text):
        raise InvalidInputError(f"{validation.shown(text, 20)} is not a date written YYYY-MM-DD.", field="date")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{validation.shown(text, 20)} is not a date in the calendar.", field="date") from None
    if day > today:
        raise InvalidInputError(f"{text} is in the future.", field="date")
    if day.year < 1970:
        raise InvalidInputError(f"{text} is before 1970.", field="date")
    return day
