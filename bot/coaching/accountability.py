"""The audit trail of actions that have no audit of their own: who did what to whose data.

Exports, erasures, the privacy notice, trend views and role or cohort changes are audited by their services.
This covers the rest when an operator acts on someone at the CLI (an assessment entered, a history read).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.coaching.model import AuditEntry
    from bot.storage.uow import SqlUnitOfWork


def record_action(uow: SqlUnitOfWork, actor: str, subject: str, action: str, detail: dict[str, Any] | None = None,
                  *, now: datetime | None = None) -> bool:
    """Audit `actor` doing `action` to `subject`'s data; False (nothing stored) when the coach holds nothing
    about the subject, so a refused or empty action leaves no trace of a person who is not there."""
    with uow:
        if uow.users.get(subject) is None:
            return False
        uow.audit.record(subject, action, now or datetime.now(UTC), detail=json.dumps(detail) if detail else None,
                         actor=actor)
        uow.commit()
    return True


def audit_trail(uow: SqlUnitOfWork, *, subject: str | None = None, actor: str | None = None) -> list[AuditEntry]:
    with uow:
        return uow.audit.entries(subject=subject, actor=actor)
