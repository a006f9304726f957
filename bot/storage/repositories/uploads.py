"""Every file uploaded about a person, until it is deleted where it was uploaded."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.coaching.model import UploadedFile
from bot.storage.orm import UploadedFileRow
from bot.storage.sql import insert_ignoring_conflict


class UploadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, upload: UploadedFile) -> None:
        insert_ignoring_conflict(self.session, UploadedFileRow.__table__, {  # type: ignore[arg-type]
            "ref": upload.ref, "user_id": upload.user_id, "kind": upload.kind, "filename": upload.filename,
            "created_at": upload.created_at}, ["ref"], "ref")

    def for_user(self, user_id: str) -> list[UploadedFile]:
        rows = self.session.scalars(select(UploadedFileRow).where(UploadedFileRow.user_id == user_id)
                                    .order_by(UploadedFileRow.created_at, UploadedFileRow.ref))
        return [UploadedFile(r.user_id, r.ref, r.kind, r.filename, r.created_at) for r in rows]

    def delete(self, user_id: str, refs: list[str]) -> None:
        self.session.execute(delete(UploadedFileRow).where(UploadedFileRow.user_id == user_id,
                                                           UploadedFileRow.ref.in_(refs)))
