"""The audit log names who acted (the actor) on whose data (the subject), for every audited action."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.coaching.accountability import audit_trail, record_action
from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.coaching.data_rights import erase_user, export_user_data, pseudonym
from bot.coaching.privacy_notice import record_notice_shown
from bot.storage import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OPERATOR = "operator:alice"
SECRET = b"test-secret"


def test_granting_and_revoking_a_role_is_audited_with_actor_subject_old_and_new_role(db: Database) -> None:
    set_profile(db.uow(), "boss", role="programme_manager", actor=OPERATOR, now=NOW)
    set_profile(db.uow(), "boss", role="programme_manager", actor=OPERATOR, now=NOW)  # no change: nothing to log
    set_profile(db.uow(), "boss", role="officer", actor="operator:bob", now=NOW)
    changes = [(e.actor, e.subject, json.loads(e.detail or "{}")) for e in audit_trail(db.uow(), subject="boss")
               if e.action == "role_changed"]
    assert changes == [(OPERATOR, "boss", {"old": None, "new": "programme_manager"}),
                       ("operator:bob", "boss", {"old": "programme_manager", "new": "officer"})]


def test_a_cohort_change_is_audited_and_a_timezone_change_is_not(db: Database) -> None:
    set_profile(db.uow(), "u1", cohort="Kent LSP", actor=OPERATOR, now=NOW)
    set_profile(db.uow(), "u1", timezone="Europe/Paris", actor=OPERATOR, now=NOW)
    [entry] = audit_trail(db.uow(), subject="u1")
    assert (entry.actor, entry.action, json.loads(entry.detail or "{}")) == (
        OPERATOR, "cohort_changed", {"old": None, "new": "Kent LSP"})


def test_without_an_actor_the_person_is_recorded_as_acting_on_their_own_data(db: Database) -> None:
    record_notice_shown(db.uow(), "slack:T1:U1", now=NOW)
    export_user_data(db.uow(), "slack:T1:U1", now=NOW)
    assert [(e.actor, e.action) for e in audit_trail(db.uow(), subject="slack:T1:U1")] == [
        ("slack:T1:U1", "notice_shown"), ("slack:T1:U1", "export")]


def test_an_operator_exporting_and_erasing_someone_is_named_on_both(db: Database) -> None:
    submit_assessment(db.uow(), "u1", {"listening": 3}, now=NOW)
    export_user_data(db.uow(), "u1", actor=OPERATOR, now=NOW)
    [export] = audit_trail(db.uow(), subject="u1")
    assert (export.actor, export.action) == (OPERATOR, "export")
    erase_user(db.uow(), "u1", SECRET, actor=OPERATOR, now=NOW)
    assert audit_trail(db.uow(), subject="u1") == []
    [erasure] = audit_trail(db.uow(), subject=pseudonym("u1", SECRET))
    assert (erasure.actor, erasure.action) == (OPERATOR, "erasure")


def test_a_person_erasing_themselves_is_recorded_under_their_pseudonym_only(db: Database) -> None:
    submit_assessment(db.uow(), "slack:T1:U1", {"listening": 3}, now=NOW)
    erase_user(db.uow(), "slack:T1:U1", SECRET, now=NOW)
    alias = pseudonym("slack:T1:U1", SECRET)
    assert [(e.actor, e.subject, e.action) for e in audit_trail(db.uow(), actor=alias)] == [
        (alias, alias, "erasure")]
    assert audit_trail(db.uow(), actor="slack:T1:U1") == []


def test_what_a_person_did_to_someone_else_survives_their_erasure_under_a_pseudonym(db: Database) -> None:
    set_profile(db.uow(), "admin", role="programme_manager", now=NOW)
    set_profile(db.uow(), "u2", cohort="Kent LSP", actor="admin", now=NOW)
    assert [e.action for e in audit_trail(db.uow(), actor="admin")] == ["role_changed", "cohort_changed"]
    exported = export_user_data(db.uow(), "admin", now=NOW)["tables"]["audit_log"]
    assert ("u2", "cohort_changed") in {(r["subject"], r["action"]) for r in exported}  # their act: theirs to see
    erase_user(db.uow(), "admin", SECRET, now=NOW)
    [kept] = audit_trail(db.uow(), subject="u2")
    assert (kept.actor, kept.action) == (pseudonym("admin", SECRET), "cohort_changed")
    assert audit_trail(db.uow(), actor="admin") == []


def test_recording_an_action_on_someone_the_coach_does_not_know_stores_nothing(db: Database) -> None:
    assert record_action(db.uow(), OPERATOR, "nobody", "history_viewed", now=NOW) is False
    assert audit_trail(db.uow()) == []
    submit_assessment(db.uow(), "u1", {"listening": 3}, now=NOW)
    assert record_action(db.uow(), OPERATOR, "u1", "history_viewed", {"via": "cli"}, now=NOW) is True
    [entry] = audit_trail(db.uow(), subject="u1")
    assert (entry.actor, entry.action, entry.detail) == (OPERATOR, "history_viewed", '{"via": "cli"}')
