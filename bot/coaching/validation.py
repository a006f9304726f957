"""Input checks shared by the coaching services. Each failure names the offending field; nothing is stored."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InvalidInputError

MAX_NOTE_CHARS = 3000
MAX_ID_CHARS = 200
ISO_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def user_id(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError("A user id is required (for example slack:T123:U456).", field="user_id")
    if len(value) > MAX_ID_CHARS:
        raise InvalidInputError(f"The user id is longer than {MAX_ID_CHARS} characters.", field="user_id")
    return value


def ratings(values: Mapping[str, int], known: Iterable[str]) -> dict[str, int]:
    """Ratings keyed by attribute id, each an integer 1-5 for a known attribute; at least one."""
    known_ids = list(known)
    if not values:
        raise InvalidInputError("Rate at least one attribute.", field="ratings")
    checked: dict[str, int] = {}
    for attribute_id, rating in values.items():
        if attribute_id not in known_ids:
            raise InvalidInputError(
                f"Unknown attribute '{attribute_id}'. Known attributes: {', '.join(known_ids)}.",
                field=f"ratings.{attribute_id}")
        # bool is an int in Python; True must not pass as a rating of 1.
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidInputError(
                f"The rating for '{attribute_id}' must be a whole number from 1 to 5, not {rating!r}.",
                field=f"ratings.{attribute_id}")
        checked[attribute_id] = rating
    return checked


def note(value: str | None, field: str = "notes", limit: int = MAX_NOTE_CHARS) -> str | None:
    """Free text as typed (control characters and markup included), or None when blank."""
    if value is None or not value.strip():
        return None
    if len(value) > limit:
        raise InvalidInputError(
            f"The {field} are {len(value)} characters long; the limit is {limit}. Shorten them and try again.",
            field=field)
    return value


def optional_key(value: str | None, field: str = "submission_key") -> str | None:
    if value is not None and (not value.strip() or len(value) > MAX_ID_CHARS):
        raise InvalidInputError(f"The {field} must be 1 to {MAX_ID_CHARS} characters.", field=field)
    return value


def timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInputError(
            f"'{value}' is not a known IANA timezone. Use a name such as Europe/London.", field="timezone"
        ) from None
    return value


def local_time(value: str) -> str:
    """'HH:MM' (24-hour), normalised to two-digit hours."""
    try:
        parsed = time.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise InvalidInputError(f"'{value}' is not a time; use HH:MM, for example 09:00.", field="time") from None
    if parsed.second or parsed.microsecond or parsed.tzinfo:
        raise InvalidInputError(f"'{value}' is not a time; use HH:MM, for example 09:00.", field="time")
    return parsed.strftime("%H:%M")


def weekday(value: str | int) -> int:
    """0 for Monday ... 6 for Sunday, from a name ('monday', 'Mon') or a number 0-6."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    text = str(value).strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if len(text) >= 3 and name.startswith(text):
            return index
    raise InvalidInputError(f"'{value}' is not a day of the week; use a name such as Monday.", field="day")


def iso_week(value: str) -> str:
    """An ISO week such as '2026-W10'."""
    if not isinstance(value, str) or not ISO_WEEK.match(value.strip()):
        raise InvalidInputError(f"'{value}' is not an ISO week; use the form 2026-W10.", field="week")
    return value.strip()
