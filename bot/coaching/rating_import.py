"""`coach import ratings FILE.csv`: earlier ratings stored all or nothing, and idempotently.

The file is read and checked whole first (bot.coaching.rating_csv); then, in one transaction, each person's
ratings of one day become one submission keyed "import:<day>" (source "import", dated noon UTC that day). Importing
the same rows again adds nothing; a row that contradicts what an earlier import stored is refused with its line.
Someone whose erasure is on record is not brought back by an import. New people get the cohort of their latest
row; the cohort on each rating is the one in its row (trends count it there, as when it was given).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from bot.coaching.attributes import AttributeSet, attributes
from bot.coaching.data_rights import pseudonym
from bot.coaching.rating_csv import ImportRefusedError, ImportRow, parse

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

KEY_PREFIX = "import:"
NOON = time(12, 0)


@dataclass(frozen=True)
class ImportReport:
    rows: int  # rows in the file, repeats left out
    added: int  # ratings stored now
    already: int  # ratings an earlier import had stored
    repeats: int  # exact repeats within the file
    people: int  # people with ratings added
    new_people: int  # of whom new to the coach (they have not been given the privacy notice)
    in_published: dict[str, int] = field(default_factory=dict)  # period -> ratings added inside it (never in trends)


def import_ratings(uow: SqlUnitOfWork, data: bytes, *, actor: str, secret: bytes, now: datetime | None = None,
                   attribute_set: AttributeSet | None = None) -> ImportReport:
    now = now or datetime.now(UTC)
    rows, repeats = parse(data, (attribute_set or attributes()).ids, today=now.date())
    people = {r.person for r in rows}
    with uow:
        _refuse_erased(uow, rows, secret)
        stored = uow.imports.imported(people, KEY_PREFIX)
        problems: list[str] = []
        new_by_submission: dict[tuple[str, str], list[ImportRow]] = {}
        already = 0
        for row in rows:
            key = (row.person, f"{KEY_PREFIX}{row.day.isoformat()}")
            before = stored.get(key, (0, {}))[1].get(row.attribute)
            if before is None:
                new_by_submission.setdefault(key, []).append(row)
            elif before == row.rating:
                already += 1
            else:
                problems.append(f"line {row.line}: an earlier import stored {before} for this person, attribute and "
                                f"date; the file says {row.rating}. Correct the file, or leave the line out.")
        if problems:
            raise ImportRefusedError(problems)
        added = [r for found in new_by_submission.values() for r in found]
        if not added:
            return ImportReport(len(rows), 0, already, repeats, 0, 0)
        touched = {r.person for r in added}
        known = uow.imports.known(touched)
        latest: dict[str, ImportRow] = {}
        for r in sorted(rows, key=lambda r: (r.day, r.line)):
            latest[r.person] = r
        uow.imports.add_users([{"id": p, "created_at": now, "timezone": "Europe/London", "cohort": latest[p].cohort,
                                "role": "officer"} for p in sorted(touched - known)])
        fresh = [k for k in new_by_submission if k not in stored]
        ids = dict(zip(fresh, uow.imports.add_submissions([
            {"user_id": p, "submission_key": key, "note": None, "source": "import", "created_at": _moment(r[0].day)}
            for (p, key), r in ((k, new_by_submission[k]) for k in fresh)]), strict=True))
        ids.update({k: stored[k][0] for k in new_by_submission if k in stored})
        uow.imports.add_ratings([
            {"submission_id": ids[k], "user_id": r.person, "attribute_id": r.attribute, "rating": r.rating,
             "created_at": _moment(r.day), "cohort": r.cohort}
            for k, found in new_by_submission.items() for r in found])
        counts: dict[str, int] = {}
        for r in added:
            counts[r.person] = counts.get(r.person, 0) + 1
        for person, count in sorted(counts.items()):
            uow.audit.record(person, "ratings_imported", now, detail=json.dumps({"ratings": count}), actor=actor)
        in_published = _in_published(uow, added)
        uow.commit()
    return ImportReport(len(rows), len(added), already, repeats, len(touched), len(touched - known), in_published)


def _refuse_erased(uow: SqlUnitOfWork, rows: list[ImportRow], secret: bytes) -> None:
    first: dict[str, int] = {}
    for r in rows:
        first.setdefault(r.person, r.line)
    aliases = {pseudonym(p, secret): p for p in first}
    erased = uow.imports.erased(aliases)
    if erased:
        raise ImportRefusedError([
            f"line {first[aliases[a]]}: this person's data was erased at their request on {at:%Y-%m-%d}; their "
            "ratings are not imported again. Leave their lines out." for a, at in sorted(
                erased.items(), key=lambda kv: first[aliases[kv[0]]])])


def _in_published(uow: SqlUnitOfWork, added: list[ImportRow]) -> dict[str, int]:
    """Ratings dated inside a period whose trends were already published: frozen figures never take them in."""
    days = [r.day for r in added]
    periods = uow.managers.published_periods(_moment(min(days)), _moment(max(days)))
    counts: dict[str, int] = {}
    for r in added:
        when = _moment(r.day)
        for label, start, end, _ in periods:
            if start <= when < end:
                counts[label] = counts.get(label, 0) + 1
    return counts


def _moment(day: date) -> datetime:
    return datetime.combine(day, NOON, tzinfo=UTC)
