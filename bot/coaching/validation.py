"""Input checks shared by the coaching services. Each failure names the offending field; nothing is stored."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InvalidInputError

MAX_NOTE_CHARS = 3000
MAX_ID_CHARS = 200
MAX_ZONE_CHARS = 64  # the longest IANA name is 32; longer input is not worth a file-system lookup
ISO_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$", re.ASCII)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Bytes that were not UTF-8 reach Python as lone surrogates (argv and stdin use surrogateescape); they cannot be
# stored or printed. PostgreSQL text cannot hold NUL. Ids and labels also refuse the other control characters.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_ID_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
RATING = re.compile(r"[1-5]", re.ASCII)  # only ASCII 1-5: '²' and '٣' pass str.isdigit() and int()
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, tzinfo=UTC)  # leaves room for the scheduler's week arithmetic


def shown(value: object, limit: int = 40) -> str:
    """A short, printable rendering of a value that was refused, for messages about ids, times and names
    (never used for free text: notes and answers are not repeated back)."""
    text = str(value)
    clipped = text[:limit]
    printable = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else "\ufffd"
                        for ch in clipped)
    return f"'{printable}'" + (f" (and {len(text) - limit:,} more characters)" if len(text) > limit else "")


def storable(value: str, field: str, what: str | None = None) -> str:
    """`value` unless it holds something no database or terminal can take; the message names the field only."""
    what = what or f"The {field}"
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be text.", field=field)
    if found := _UNSTORABLE.search(value):
        problem = "a NUL character" if found.group() == "\x00" else "bytes that are not valid UTF-8 text"
        raise InvalidInputError(f"{what} cannot be used because of {problem}. Nothing was stored; retype it and "
                                "try again.", field=field)
    return value


def identifier(value: str, field: str, what: str) -> str:
    """An id or label: printable text of at most MAX_ID_CHARS characters."""
    storable(value, field, what)
    if _ID_CONTROL.search(value):
        raise InvalidInputError(f"{what} cannot hold control characters (such as a newline or tab).", field=field)
    if len(value) > MAX_ID_CHARS:
        raise InvalidInputError(f"{what} is longer than {MAX_ID_CHARS} characters.", field=field)
    return value


def user_id(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError("A user id is required (for example slack:T123:U456).", field="user_id")
    return identifier(value, "user_id", "The user id")


def cohort(value: str) -> str | None:
    """A cohort or organisation label, stripped; None when blank."""
    return identifier(value.strip(), "cohort", "The cohort label") or None


def rating(value: str, field: str) -> int:
    """A rating typed as text: exactly one ASCII digit 1-5 (surrounding spaces allowed)."""
    text = storable(value, field, "The rating").strip()
    if not RATING.fullmatch(text):
        raise InvalidInputError("A rating must be a whole number from 1 to 5, typed as the digit 1, 2, 3, 4 or 5.",
                                field=field)
    return int(text)


def moment(value: str, field: str, what: str) -> datetime:
    """An ISO 8601 time (UTC when no offset is given) within the years the scheduler can count in."""
    try:
        parsed = datetime.fromisoformat(storable(value, field, what).strip())
    except ValueError:
        raise InvalidInputError(f"{what} {shown(value)} is not an ISO 8601 time such as 2026-03-02T09:00:00+00:00.",
                                field=field) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not EARLIEST <= parsed <= LATEST:
        raise InvalidInputError(f"{what} must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}.", field=field)
    return parsed


def ratings(values: Mapping[str, int], known: Iterable[str]) -> dict[str, int]:
    """Ratings keyed by attribute id, each an integer 1-5 for a known attribute; at least one."""
    known_ids = list(known)
    if not values:
        raise InvalidInputError("Rate at least one attribute.", field="ratings")
    checked: dict[str, int] = {}
    for attribute_id, value in values.items():
        if attribute_id not in known_ids:
            raise InvalidInputError(
                f"Unknown attribute {shown(attribute_id)}. Known attributes: {', '.join(known_ids)}.",
                field=f"ratings.{attribute_id}")
        # bool is an int in Python; True must not pass as a rating of 1.
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInputError(
                f"The rating for '{attribute_id}' must be a whole number from 1 to 5, not {shown(value, 10)}.",
                field=f"ratings.{attribute_id}")
        checked[attribute_id] = value
    return checked


def note(value: str | None, field: str = "notes", limit: int = MAX_NOTE_CHARS) -> str | None:
    """Free text as typed (control characters and markup included), or None when blank."""
    if value is None or not value.strip():
        return None
    storable(value, field, f"The {field}")
    if len(value) > limit:
        raise InvalidInputError(
            f"The {field} are {len(value)} characters long; the limit is {limit}. Shorten them and try again.",
            field=field)
    return value


def optional_key(value: str | None, field: str = "submission_key") -> str | None:
    if value is not None and (not value.strip() or len(value) > MAX_ID_CHARS):
        raise InvalidInputError(f"The {field} must be 1 to {MAX_ID_CHARS} characters.", field=field)
    return value if value is None else identifier(value, field, f"The {field}")


def timezone(value: str) -> str:
    refused = InvalidInputError(f"{shown(value)} is not a known IANA timezone. Use a name such as Europe/London.",
                                field="timezone")
    if not isinstance(value, str) or len(value) > MAX_ZONE_CHARS or _ID_CONTROL.search(value):
        raise refused
    try:
        ZoneInfo(storable(value, "timezone"))
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):  # OSError: a name the file system refuses
        raise refused from None
    return value


def local_time(value: str) -> str:
    """'HH:MM' (24-hour), normalised to two-digit hours."""
    try:
        parsed = time.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise InvalidInputError(f"{shown(value)} is not a time; use HH:MM, for example 09:00.", field="time") from None
    if parsed.second or parsed.microsecond or parsed.tzinfo:
        raise InvalidInputError(f"{shown(value)} is not a time; use HH:MM, for example 09:00.", field="time")
    return parsed.strftime("%H:%M")


def weekday(value: str | int) -> int:
    """0 for Monday ... 6 for Sunday, from a name ('monday', 'Mon') or a number 0-6."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    text = str(value).strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if len(text) >= 3 and name.startswith(text):
            return index
    raise InvalidInputError(f"{shown(value)} is not a day of the week; use a name such as Monday.", field="day")


def iso_week(value: str) -> str:
    """An ISO week such as '2026-W10'."""
    if not isinstance(value, str) or not ISO_WEEK.match(value.strip()):
        raise InvalidInputError(f"{shown(value)} is not an ISO week; use the form 2026-W10.", field="week")
    return value.strip()
