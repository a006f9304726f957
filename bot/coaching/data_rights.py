"""UK GDPR rights in the core: export, erasure and retention (the privacy notice: bot.coaching.privacy_notice).

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
import os
import secrets
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.coaching import validation
from bot.errors import ConfigurationError
from bot.private_files import private_dir

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.storage.uow import SqlUnitOfWork


def export_user_data(uow: SqlUnitOfWork, user_id: str, *, actor: str | None = None,
                     now: datetime | None = None) -> dict[str, Any]:
    """Everything stored about `user_id`, table by table, JSON-ready (datetimes as ISO 8601 strings).

    Audited under `actor` (an operator exporting someone's data), else under the person themselves."""
    now = now or datetime.now(UTC)
    with uow:
        tables = uow.personal_data.export_rows(user_id)
        if tables["users"]:
            uow.audit.record(user_id, "export", now, actor=actor)
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


def erase_user(uow: SqlUnitOfWork, user_id: str, secret: bytes, *, actor: str | None = None,
               now: datetime | None = None) -> dict[str, int]:
    """Delete every row of `user_id`; returns rows deleted per table. The audit keeps only a pseudonym.

    `actor`: who erased (an operator); unset, the person did, and the entry is under their pseudonym."""
    user_id = validation.user_id(user_id)
    with uow:
        counts = erase_rows(uow, user_id, secret, now or datetime.now(UTC), actor=actor)
        uow.commit()
    uow.checkpoint()  # no copy of the deleted rows left in SQLite's write-ahead log
    return counts


def erase_rows(uow: SqlUnitOfWork, user_id: str, secret: bytes, now: datetime, *,
               actor: str | None = None) -> dict[str, int]:
    """Inside `with uow:`: the deletes and the pseudonymous audit entry of `erase_user`, not committed."""
    counts = uow.personal_data.erase(user_id)
    counts["inbox"] = uow.inbox.erase(user_id)  # their deliveries not yet done: the message, the form
    alias = pseudonym(user_id, secret)
    uow.audit.replace_actor(user_id, alias)  # what they did to others' data stays on record, unnamed
    uow.audit.record(alias, "erasure", now, detail=json.dumps({"rows": sum(counts.values())}), actor=actor)
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
        counts["inbox"] = uow.inbox.purge_done_before(now - timedelta(days=7))  # the same, for Slack deliveries
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
    """The key that makes erasure pseudonyms: COACH_PSEUDONYM_SECRET, else the file COACH_PSEUDONYM_SECRET_FILE
    (kept outside the data directory), else a random key created once in the data directory (mode 0600), which
    keeps the embedded set-up working but sits beside the database: set one of the two in production."""
    if settings.pseudonym_secret is not None:
        return _strong(settings.pseudonym_secret.get_secret_value(), "COACH_PSEUDONYM_SECRET")
    if settings.pseudonym_secret_file is not None:
        return _secret_from_file(settings.pseudonym_secret_file, Path(settings.data_dir))
    path = Path(settings.data_dir) / "pseudonym.key"
    if not path.exists():
        _create_key_once(path)
    return _strong(path.read_text(encoding="ascii").strip(), str(path))


def _create_key_once(path: Path) -> None:
    """Write the key beside `path`, then link it into place: the link fails if another process or thread got
    there first, and nobody ever reads a half-written key (which would give a different pseudonym)."""
    private_dir(path.parent)
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".pseudonym-")  # 0600 from the first byte
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)


def _secret_from_file(path: Path, data_dir: Path) -> bytes:
    where = "COACH_PSEUDONYM_SECRET_FILE"
    if path.resolve().is_relative_to(data_dir.resolve()):
        raise ConfigurationError(f"{where} ({path}) is inside the data directory: whoever copies the database "
                                 "would get the key that links pseudonyms back to people. Keep it elsewhere.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{where} ({path}) cannot be read: {exc}. Point it at a readable text file.") from exc
    return _strong(text.strip(), where)


def _strong(secret: str, where: str) -> bytes:
    if len(secret) < 16:
        raise ConfigurationError(f"{where} is too short to be a secret key: use at least 16 random characters, "
                                 "e.g. the output of `python -c 'import secrets; print(secrets.token_hex(32))'`.")
    return secret.encode("utf-8")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}
