"""Who may give and take away the programme-manager role, and to which cohorts a manager is limited.

Two kinds of people may change it, and nobody else:
- operators at the `coach` command line (whoever can run it has the database already; audited as
  "operator:<OS account>");
- the Slack admins named in COACH_SLACK_ADMINS (audited under their own id).
Nobody gives the role to themselves: another admin or an operator must. Every grant, change of cohorts and
revocation is audited with the old and new values under the one who made it; a refused attempt is audited under
the one who tried. A manager limited to cohorts sees only those cohorts' published figures (bot.coaching.trends).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.coaching import validation
from bot.errors import InvalidInputError, NotPermittedError

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

MANAGER = "programme_manager"
OPERATOR_PREFIX = "operator:"
MAX_COHORTS = 50


@dataclass(frozen=True)
class Administrator:
    """Someone asking to change roles: `actor` as the audit log names them, `admins` the people (ids) named as
    admins in the settings. An operator at the command line is always allowed."""

    actor: str
    admins: frozenset[str] = frozenset()

    @property
    def allowed(self) -> bool:
        return self.actor.startswith(OPERATOR_PREFIX) or self.actor in self.admins


def operator(actor: str) -> Administrator:
    """The command line's administrator (bot.cli.operator.operator_id gives the actor)."""
    if not actor.startswith(OPERATOR_PREFIX):
        raise ValueError("an operator's actor starts with 'operator:'")
    return Administrator(actor)


@dataclass(frozen=True)
class ManagerRole:
    user_id: str
    manager: bool
    cohorts: frozenset[str]  # empty: the whole programme (when a manager)

    @property
    def scope(self) -> str:
        if not self.manager:
            return "not a programme manager"
        return "the whole programme" if not self.cohorts else "cohorts " + ", ".join(sorted(self.cohorts))


def grant_manager(uow: SqlUnitOfWork, by: Administrator, subject: str, cohorts: Iterable[str] = (), *,
                  now: datetime | None = None) -> ManagerRole:
    """Make `subject` a programme manager, limited to `cohorts` (none: the whole programme); granting again
    replaces the cohorts. Refused (NotPermittedError, audited) unless `by` may, or when they name themselves."""
    subject = validation.user_id(subject)
    limited = _cohorts(cohorts)
    now = now or datetime.now(UTC)
    _check(uow, by, subject, "grant", now)
    with uow:
        before, old_role = _role(uow, subject), _role_name(uow, subject)
        uow.users.ensure(subject, now)
        uow.users.update(subject, role=MANAGER)
        uow.managers.assign(subject, limited, now)
        after = ManagerRole(subject, True, limited)
        if before != after:
            uow.audit.record(subject, "manager_granted", now, actor=by.actor, detail=json.dumps(
                {"old": _described(before, old_role), "new": _described(after, MANAGER)}))
        uow.commit()
    return after


def revoke_manager(uow: SqlUnitOfWork, by: Administrator, subject: str, *,
                   now: datetime | None = None) -> ManagerRole:
    """Take the programme-manager role away (they become an officer) and their cohorts with it."""
    subject = validation.user_id(subject)
    now = now or datetime.now(UTC)
    _check(uow, by, subject, "revoke", now)
    with uow:
        before = _role(uow, subject)
        if not before.manager:
            raise InvalidInputError("That person is not a programme manager: nothing to revoke.", field="user_id")
        uow.users.update(subject, role="officer")
        uow.managers.assign(subject, (), now)
        after = ManagerRole(subject, False, frozenset())
        uow.audit.record(subject, "manager_revoked", now, actor=by.actor, detail=json.dumps(
            {"old": _described(before, MANAGER), "new": _described(after, "officer")}))
        uow.commit()
    return after


def managers(uow: SqlUnitOfWork) -> list[ManagerRole]:
    with uow:
        return [ManagerRole(i, True, c) for i, c in uow.managers.managers()]


def manager_cohorts(uow: SqlUnitOfWork, user_id: str) -> frozenset[str]:
    """The cohorts a manager is limited to (empty: the whole programme)."""
    with uow:
        return uow.managers.cohorts(user_id)


def _check(uow: SqlUnitOfWork, by: Administrator, subject: str, what: str, now: datetime) -> None:
    if by.allowed and not (what == "grant" and by.actor == subject):
        return
    with uow:  # a refused attempt is on record, under the one who tried (the target's id is not kept there)
        uow.audit.record(by.actor, "manager_change_refused", now, detail=json.dumps({"wanted": what}))
        uow.commit()
    if by.allowed:
        raise NotPermittedError("Nobody can make themselves a programme manager: ask another admin, or an operator "
                                "(`coach managers grant USER`).")
    raise NotPermittedError("Only the coach's operators and the Slack admins named in COACH_SLACK_ADMINS can give or "
                            "take away the programme-manager role.")


def _cohorts(cohorts: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for value in cohorts:
        label = validation.cohort(value)
        if label is None:
            raise InvalidInputError("A cohort label cannot be blank.", field="cohort")
        found.add(label)
    if len(found) > MAX_COHORTS:
        raise InvalidInputError(f"At most {MAX_COHORTS} cohorts per manager.", field="cohort")
    return frozenset(found)


def _role(uow: SqlUnitOfWork, subject: str) -> ManagerRole:
    user = uow.users.get(subject)
    manager = user is not None and user.role == MANAGER
    return ManagerRole(subject, manager, uow.managers.cohorts(subject) if manager else frozenset())


def _role_name(uow: SqlUnitOfWork, subject: str) -> str | None:
    user = uow.users.get(subject)
    return user.role if user else None


def _described(role: ManagerRole, name: str | None) -> dict[str, object]:
    return {"role": name, "cohorts": sorted(role.cohorts)}

