"""`coach people merge-ids`: an operator gives everyone in a Grid organisation their one id."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from bot.storage import Database
from tests.cli.test_bad_input import invoke, said
from tests.storage.test_identity_merge import T0, rows_of, seed


def test_an_operator_merges_every_members_earlier_ids_into_the_organisation_once_audited_as_them(
        db: Database, database_url: str, tmp_path: Path) -> None:
    with Session(db.engine) as session:
        seed(session, "slack:T2:W1", T0, "a")  # two members of E1, stored under their workspaces' ids before
        seed(session, "slack:T3:W2", T0, "b")
        seed(session, "slack:T4:W3", T0, "c")  # a third under workspace T4, which the operator leaves out
    env = {"COACH_DATABASE_URL": database_url, "COACH_DATA_DIR": str(tmp_path)}
    result = invoke(["people", "merge-ids", "--org", "E1", "--team", "T2", "--team", "T3"], env)
    assert result.exit_code == 0, said(result)
    assert "2 people in E1" in said(result)
    assert rows_of(db, "slack:E1:W1")["submissions"] == rows_of(db, "slack:E1:W2")["submissions"] == 1
    assert set(rows_of(db, "slack:T2:W1").values()) == set(rows_of(db, "slack:T3:W2").values()) == {0}
    assert rows_of(db, "slack:T4:W3")["submissions"] == 1
    with db.uow() as uow:
        [merge] = [e for e in uow.audit.entries(subject="slack:E1:W1") if e.action == "identity-merge"]
        assert merge.actor.startswith("operator:")  # type: ignore[union-attr]
    again = invoke(["people", "merge-ids", "--org", "E1", "--team", "T2", "--team", "T3"], env)
    assert "0 people in E1" in said(again)
