"""Files uploaded about a person (exports, charts) and erasure that reaches them too.

Every upload is recorded against the person as it is made and the record is kept until the file is deleted
where it was uploaded. Erasure deletes the files first, through a `FileRemover` the surface provides (Slack's
`files.delete`), then the rows: a file that could not be deleted is reported, so the person knows what is left.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.exc import DBAPIError

from bot.coaching import validation
from bot.coaching.model import UploadedFile

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

ERASE_ATTEMPTS = 3
RETRYABLE = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


class Removal(enum.Enum):
    DELETED = "deleted"
    ALREADY_GONE = "already gone"  # deleted earlier, by the app or an administrator
    FAILED = "failed"  # refused or unreachable: the file is still there


class FileRemover(Protocol):
    def __call__(self, ref: str) -> Removal: ...


@dataclass
class ErasureReport:
    rows: dict[str, int]
    files_deleted: list[UploadedFile] = field(default_factory=list)
    files_left: list[UploadedFile] = field(default_factory=list)  # could not be deleted: say so


def record_upload(uow: SqlUnitOfWork, user_id: str, ref: str, kind: str, filename: str, *,
                  now: datetime | None = None) -> bool:
    """Record a file uploaded about `user_id`. False, storing nothing, for an unknown user (e.g. one erased while
    the file was being made): the caller deletes the file, as nothing would ever find it again."""
    user_id = validation.user_id(user_id)
    with uow:
        if uow.users.get(user_id) is None:
            return False
        uow.uploads.add(UploadedFile(user_id, ref, kind, filename, now or datetime.now(UTC)))
        uow.commit()
    return True


def uploads_of(uow: SqlUnitOfWork, user_id: str) -> list[UploadedFile]:
    with uow:
        return uow.uploads.for_user(user_id)


def forget_uploads(uow: SqlUnitOfWork, user_id: str, refs: list[str]) -> None:
    """Drop the records of files that are gone from where they were uploaded."""
    with uow:
        uow.uploads.delete(user_id, refs)
        uow.commit()


def erase_with_files(uow: Callable[[], SqlUnitOfWork], user_id: str, secret: bytes,
                     remove: FileRemover | None, *, actor: str | None = None,
                     now: datetime | None = None) -> ErasureReport:
    """Delete the person's uploaded files (with `remove`; None when no surface is configured here), then every
    row about them. The rows go whatever happens to the files: erasure is never held back by a third party.
    A file recorded while this runs (an upload finishing) is found in the erasing transaction and deleted too."""
    from bot.coaching.data_rights import erase_rows

    user_id = validation.user_id(user_id)
    report = ErasureReport(rows={})
    handled: set[str] = set()
    for upload in uploads_of(uow(), user_id):
        _remove(upload, remove, report)
        handled.add(upload.ref)
    for attempt in range(ERASE_ATTEMPTS):
        work = uow()
        try:
            with work:
                work.personal_data.lock(user_id)
                late = [u for u in work.uploads.for_user(user_id) if u.ref not in handled]
                report.rows = erase_rows(work, user_id, secret, now or datetime.now(UTC), actor=actor)
                work.commit()
            break
        except Exception as exc:
            # PostgreSQL may pick the erasure as a deadlock victim when an upload for the same person is being
            # recorded at that moment: erasure must not be lost to that, so it is tried again.
            if not _retryable(exc) or attempt == ERASE_ATTEMPTS - 1:
                raise
    work.checkpoint()
    for upload in late:
        _remove(upload, remove, report)
    return report


def _retryable(exc: BaseException | None) -> bool:
    """A deadlock or serialization failure, as raised or as the cause of the storage error it became."""
    while exc is not None:
        if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in RETRYABLE:
            return True
        exc = exc.__cause__
    return False


def _remove(upload: UploadedFile, remove: FileRemover | None, report: ErasureReport) -> None:
    outcome = remove(upload.ref) if remove is not None else Removal.FAILED
    (report.files_left if outcome is Removal.FAILED else report.files_deleted).append(upload)
