"""Who may give and take away the programme-manager role, and what a manager limited to cohorts sees.

Operators (the command line) and the Slack admins named in settings may; nobody else, and nobody for themselves.
Every grant and revocation is audited with the old and new values; every refusal is audited under the one who
tried. A limited manager sees only their cohorts' published figures and is refused any other cohort.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.coaching.conversation import set_profile
from bot.coaching.data_rights import erase_user
from bot.coaching.roles import Administrator, grant_manager, manager_cohorts, managers, operator, revoke_manager
from bot.coaching.trends import ALL_PARTICIPANTS, trends_for_manager
from bot.errors import CohortNotAssignedError, InvalidInputError, NotPermittedError
from bot.storage import Database
from tests.coaching.trends_helpers import NoNoise, cohort_of

OPERATOR = operator("operator:alice")
ADMIN = "slack:T1:UADMIN"
NOW = datetime(2026, 11, 20, tzinfo=UTC)  # Q3 closed
IN_Q3 = datetime(2026, 8, 10, tzinfo=UTC)


def _trail(db: Database, subject: str) -> list[tuple[str | None, str, dict | None]]:
    with db.uow() as uow:
        return [(e.actor, e.action, json.loads(e.detail) if e.detail else None)
                for e in uow.audit.entries(subject=subject)]


def _view(db: Database, viewer: str, **options: object):  # type: ignore[no-untyped-def]
    return trends_for_manager(db.uow(), viewer, min_group=5, now=NOW, noise=NoNoise(), **options)  # type: ignore[arg-type]


def test_an_operator_grants_limits_widens_and_revokes_and_every_change_is_audited(db: Database) -> None:
    set_profile(db.uow(), "boss", role="leader", actor="operator:alice")
    grant_manager(db.uow(), OPERATOR, "boss", ["Kent", " Essex "], now=NOW)
    assert manager_cohorts(db.uow(), "boss") == {"Kent", "Essex"}
    grant_manager(db.uow(), OPERATOR, "boss", [], now=NOW)  # the whole programme
    grant_manager(db.uow(), OPERATOR, "boss", [], now=NOW)  # no change: nothing more on record
    revoke_manager(db.uow(), OPERATOR, "boss", now=NOW)
    assert managers(db.uow()) == []
    manager = "programme_manager"
    assert _trail(db, "boss") == [
        ("operator:alice", "role_changed", {"old": None, "new": "leader"}),
        ("operator:alice", "manager_granted", {"old": {"role": "leader", "cohorts": []},
                                               "new": {"role": manager, "cohorts": ["Essex", "Kent"]}}),
        ("operator:alice", "manager_granted", {"old": {"role": manager, "cohorts": ["Essex", "Kent"]},
                                               "new": {"role": manager, "cohorts": []}}),
        ("operator:alice", "manager_revoked", {"old": {"role": manager, "cohorts": []},
                                               "new": {"role": "officer", "cohorts": []}}),
    ]
    with pytest.raises(NotPermittedError):
        _view(db, "boss")


def test_a_named_slack_admin_may_grant_someone_else(db: Database) -> None:
    admin = Administrator(ADMIN, frozenset({ADMIN}))
    role = grant_manager(db.uow(), admin, "slack:T1:UBOSS", ["Kent"], now=NOW)
    assert role.manager and role.scope == "cohorts Kent"
    [(actor, action, _)] = _trail(db, "slack:T1:UBOSS")
    assert (actor, action) == (ADMIN, "manager_granted")


@pytest.mark.parametrize(("who", "admins", "subject", "wanted"), [
    ("slack:T1:UOFFICER", frozenset(), "slack:T1:UOFFICER", "grant"),  # an officer making themselves a manager
    ("slack:T1:UOFFICER", frozenset(), "slack:T1:UFRIEND", "grant"),  # … or a friend
    ("slack:T1:UOFFICER", frozenset({ADMIN}), "slack:T1:UBOSS", "revoke"),  # … or taking it from a manager
    (ADMIN, frozenset({ADMIN}), ADMIN, "grant"),  # even an admin cannot give it to themselves
    ("slack:T1:UMANAGER", frozenset(), "slack:T1:UOTHER", "grant"),  # a manager cannot pass it on
])
def test_attack_anyone_else_is_refused_and_the_attempt_is_audited(db: Database, who: str, admins: frozenset[str],
                                                                   subject: str, wanted: str) -> None:
    grant_manager(db.uow(), OPERATOR, "slack:T1:UBOSS", now=NOW)
    grant_manager(db.uow(), OPERATOR, "slack:T1:UMANAGER", now=NOW)
    by = Administrator(who, admins)
    with pytest.raises(NotPermittedError):
        if wanted == "grant":
            grant_manager(db.uow(), by, subject, now=NOW)
        else:
            revoke_manager(db.uow(), by, subject, now=NOW)
    assert {r.user_id for r in managers(db.uow())} == {"slack:T1:UBOSS", "slack:T1:UMANAGER"}
    assert (who, "manager_change_refused", {"wanted": wanted}) in _trail(db, who)
    assert subject == who or not [e for e in _trail(db, subject) if e[1] != "manager_granted"]


def test_an_operator_actor_must_come_from_the_command_line() -> None:
    with pytest.raises(ValueError):
        operator("slack:T1:U1")


@pytest.mark.parametrize("cohort", ["", "   ", "x" * 201, "Kent\nEssex"])
def test_a_bad_cohort_is_refused_and_nothing_changes(db: Database, cohort: str) -> None:
    with pytest.raises(InvalidInputError):
        grant_manager(db.uow(), OPERATOR, "boss", [cohort], now=NOW)
    assert managers(db.uow()) == [] and _trail(db, "boss") == []


def test_revoking_someone_who_is_not_a_manager_is_refused(db: Database) -> None:
    with pytest.raises(InvalidInputError):
        revoke_manager(db.uow(), OPERATOR, "nobody", now=NOW)


@pytest.fixture
def programme(db: Database) -> Database:
    cohort_of(db, "Kent", [2, 3, 4, 4, 5], IN_Q3)
    cohort_of(db, "Essex", [3, 3, 3, 3, 3, 4], IN_Q3)
    cohort_of(db, "Surrey", [1, 2, 1, 2, 1], IN_Q3)
    grant_manager(db.uow(), OPERATOR, "everything", now=NOW)
    grant_manager(db.uow(), OPERATOR, "kent-only", ["Kent"], now=NOW)
    return db


def test_a_limited_manager_sees_only_their_cohorts_published_figures(programme: Database) -> None:
    whole = _view(programme, "everything", periods=1)
    limited = _view(programme, "kent-only", periods=1)
    assert [g.label for g in whole.groups] == [ALL_PARTICIPANTS, "Essex", "Kent", "Surrey"]
    assert [g.label for g in limited.groups] == ["Kent"]  # not all participants: it includes other cohorts
    assert limited.group("Kent") == whole.group("Kent")  # the same frozen figures, nothing recomputed
    assert _view(programme, "kent-only", periods=1, cohort="Kent").groups == limited.groups


def test_attack_a_limited_manager_asking_for_another_cohort_is_refused_and_audited(programme: Database) -> None:
    with pytest.raises(CohortNotAssignedError, match="your own cohorts only: Kent"):
        _view(programme, "kent-only", cohort="Essex")
    assert ("kent-only", "trends_refused", {"cohort": "Essex"}) in _trail(programme, "kent-only")


def test_erasing_a_manager_removes_their_cohorts(programme: Database) -> None:
    counts = erase_user(programme.uow(), "kent-only", b"0123456789abcdef")
    assert counts["manager_cohorts"] == 1
    assert {r.user_id for r in managers(programme.uow())} == {"everything"}


def test_a_manager_given_another_role_at_the_command_line_loses_their_cohort_limits_on_record(db: Database) -> None:
    """`coach people set USER --role officer` on a limited manager: the limits go with the role, as `coach managers
    revoke` takes them, and the removal is audited; granting the role again later starts from the whole programme,
    not from limits nobody chose this time."""
    grant_manager(db.uow(), OPERATOR, "boss", ["Kent"], now=NOW)
    set_profile(db.uow(), "boss", role="officer", now=NOW, actor="operator:alice")
    assert manager_cohorts(db.uow(), "boss") == frozenset()
    assert _trail(db, "boss")[-2:] == [
        ("operator:alice", "role_changed", {"old": "programme_manager", "new": "officer"}),
        ("operator:alice", "manager_cohorts_removed", {"cohorts": ["Kent"], "role": "officer"})]
    set_profile(db.uow(), "boss", role="programme_manager", now=NOW, actor="operator:alice")
    assert [(m.user_id, m.scope) for m in managers(db.uow())] == [("boss", "the whole programme")]
