"""Uploading files about a person so that erasure can find them, and deleting them again.

Every file the app uploads (exports, progress charts, Home-tab charts) is recorded against the person as soon
as Slack has it, before anything else happens; a file that cannot be recorded is deleted at once, so no copy
exists that erasure would not find.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.uploads import Removal, forget_uploads, record_upload
from bot.errors import CoachError
from bot.slack.services import CoachingServices

log = logging.getLogger(__name__)


def upload_recorded(coaching: CoachingServices, client: WebClient, person: str, kind: str,
                    uploads: list[dict[str, Any]], **where: Any) -> list[str] | None:
    """`files_upload_v2(file_uploads=uploads, **where)`, each file recorded for `person` under `kind`.
    Returns the file ids; None (and no file left in Slack) when the upload or its record failed."""
    try:
        response = client.files_upload_v2(file_uploads=uploads, **where)
    except SlackApiError as exc:
        log.warning("upload (%s) for %s failed: %s", kind, person, exc.response.get("error"))
        return None
    files = response.get("files") or [response.get("file")]
    ids = [str(f["id"]) for f in files if f]
    names = {str(f["id"]): str(f.get("name") or "") for f in files if f}
    for file_id in ids:
        try:
            recorded = record_upload(coaching.db.uow(), person, file_id, kind, names[file_id])
        except Exception as exc:  # unreachable database, or the person erased as it was written (foreign key)
            log.warning("uploaded file %s not recorded for %s: %s", file_id, person, type(exc).__name__)
            recorded = False
        if not recorded:  # erasure could never find it: it must not stay in Slack
            for other in ids:
                delete_recorded(coaching, client, person, other)
            return None
    return ids


def delete_recorded(coaching: CoachingServices, client: WebClient, person: str, file_id: str) -> Removal:
    """Delete a file from Slack and, once it is gone, its record (kept if Slack still has it)."""
    outcome = remove_file(client, file_id)
    if outcome is not Removal.FAILED:
        try:
            forget_uploads(coaching.db.uow(), person, [file_id])
        except CoachError as exc:  # the record stays: erasure will ask Slack again and hear file_not_found
            log.info("record of deleted file %s kept: %s", file_id, exc)
    return outcome


def remove_file(client: WebClient, file_id: str) -> Removal:
    try:
        client.files_delete(file=file_id)
        return Removal.DELETED
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "file_not_found" or error == "file_deleted":
            return Removal.ALREADY_GONE
        log.warning("could not delete file %s: %s", file_id, error)
        return Removal.FAILED
    except OSError as exc:  # Slack unreachable (after the client's retries)
        log.warning("could not delete file %s: %s", file_id, exc)
        return Removal.FAILED


class SlackFileRemover:
    """Erasure's `FileRemover` for files the app uploaded to Slack."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def __call__(self, ref: str) -> Removal:
        return remove_file(self.client, ref)
