"""UK GDPR rights in the core: the consent notice, export, erasure and retention.

Erasure deletes every row of the user in every table that holds user data and keeps, in the audit log,
only that an erasure happened, under a pseudonym (HMAC of the user id with a secret) so a later query
about the same user can be answered without keeping who they were.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.coaching import validation

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.storage.uow import SqlUnitOfWork

# One line per paragraph: terminals and Slack wrap it to their own width.
CONSENT_NOTICE = """\
Before we start: what the coach keeps, and who sees it.

What is stored: your user id, timezone and cohort or organisation label; your self-ratings against the nine \
partnership leadership attributes and any notes you add; your answers to reflective exercises; your weekly-prompt \
settings; feedback you give on answers; and recent conversation turns so the coach can follow a conversation.

Who sees what: you see all of your own data. Programme managers see only group averages, for groups of at \
least {min_cohort} people, never your name, your own ratings, notes or answers. Nobody else sees your data.

How long: notes, reflection answers and conversation text are deleted after {retention_days} days; ratings are \
kept for your history until you ask for them to be erased.

Your rights: ask for a copy of everything (export) or for everything to be deleted (erasure) at any time.
"""


def consent_notice(settings: Settings) -> str:
    return CONSENT_NOTICE.format(min_cohort=settings.trends_min_cohort, retention_days=settings.retention_days)


def record_consent(uow: SqlUnitOfWork, user_id: str, *, now: datetime | None = None) -> datetime:
    user_id = validation.user_id(user_id)
    now = now or datetime.now(UTC)
    with uow:
        user = uow.users.ensure(user_id, now)
        if user.consent_at is not None:
            return user.consent_at
        uow.users.update(user_id, consent_at=now)
        uow.audit.record(user_id, "consent", now)
        uow.commit()
    return now


def has_consented(uow: SqlUnitOfWork, user_id: str) -> bool:
    with uow:
        user = uow.users.get(user_id)
    return user is not None and user.consent_at is not None


def export_user_data(uow: SqlUnitOfWork, user_id: str, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything stored about `user_id`, table by table, JSON-ready (datetimes as ISO 8601 strings)."""
    now = now or datetime.now(UTC)
    with uow:
        tables = uow.personal_data.export_rows(user_id)
        if tables["users"]:
            uow.audit.record(user_id, "export", now)
            uow.commit()
    return {"user_id": user_id, "exported_at": now.isoformat(),
            "tables": {name: [_jsonable(row) for row in rows] for name, rows in tables.items()}}


def export_json(export: dict[str, Any]) -> str:
    return json.dumps(export, ensure_ascii=False, indent=2)


def ratings_csv(export: dict[str, Any]) -> str:
    """One line per rating: when, submission, attribute, rating, and the submission's note."""
    notes = {s["id"]: s["note"] for s in export["tables"].get("submissions", [])}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["created_at", "submission_id", "attribute_id", "rating", "note"])
    for r in export["tables"].get("ratings", []):
        writer.writerow([r["created_at"], r["submission_id"], r["attribute_id"], r["rating"],
                         notes.get(r["submission_id"]) or ""])
    return out.getvalue()


def erase_user(uow: SqlUnitOfWork, user_id: str, secret: bytes, *, now: datetime | None = None) -> dict[str, int]:
    """Delete every row of `user_id`; returns rows deleted per table. The audit keeps only a pseudonym."""
    user_id = validation.user_id(user_id)
    now = now or datetime.now(UTC)
    with uow:
        counts = uow.personal_data.erase(user_id)
        uow.audit.record(pseudonym(user_id, secret), "erasure", now, detail=json.dumps({"rows": sum(counts.values())}))
        uow.commit()
    return counts


def purge_old(uow: SqlUnitOfWork, retention_days: int, *, turn_retention_days: int | None = None,
              now: datetime | None = None) -> dict[str, int]:
    """Delete free text (reflection answers, notes, comments) older than the retention, and conversation turns
    older than their own, shorter retention (memory needs them for days, not a year)."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    with uow:
        counts = uow.personal_data.purge_free_text(cutoff, turns_before=now - timedelta(
            days=retention_days if turn_retention_days is None else turn_retention_days))
        counts["processed_events"] = uow.events.purge_before(now - timedelta(days=7))  # retry dedup needs days
        uow.audit.record("system", "retention-purge", now, detail=json.dumps(counts))
        uow.commit()
    return counts


def purge_old_daily(uow: SqlUnitOfWork, retention_days: int, *, turn_retention_days: int | None = None,
                    now: datetime | None = None) -> dict[str, int] | None:
    """`purge_old` at most once per UTC day across all processes; None when today's purge already ran.

    Cheap enough to call from a loop every minute: that is what makes the retention automatic.
    """
    now = now or datetime.now(UTC)
    with uow:
        claimed = uow.events.claim(f"housekeeping:retention-purge:{now:%Y-%m-%d}", now)
        uow.commit()
    return purge_old(uow, retention_days, turn_retention_days=turn_retention_days, now=now) if claimed else None


def pseudonym(user_id: str, secret: bytes) -> str:
    return "pseudonym:" + hmac.new(secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def pseudonym_secret(settings: Settings) -> bytes:
    """COACH_PSEUDONYM_SECRET, else a random secret created once in the data directory (mode 0600)."""
    configured = settings.pseudonym_secret
    if configured is not None:
        return configured.get_secret_value().encode("utf-8")
    path = Path(settings.data_dir) / "pseudonym.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="ascii") as handle:  # "x": two processes cannot both create it
                handle.write(secrets.token_hex(32))
            path.chmod(0o600)
        except FileExistsError:
            pass
    return path.read_text(encoding="ascii").strip().encode("ascii")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}
