"""One person stored under several ids: every row of the other ids moved to the one that stays.

Driven by the table metadata like export and erasure (personal_data.py): every table whose `user_id` refers to
`users` is moved, and the audit log's `subject` and `actor`. Where a table allows one row per person (or per
person and something), the two ids' rows can clash; CLASHES says which row stays, and a clash no rule covers
is refused rather than guessed (tests/storage/test_identity_merge.py fails when a table adds one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Table, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Session

from bot.storage.orm import SLACK_BOTS, AuditRow, InboxRow, UserRow
from bot.storage.repositories.personal_data import user_tables
from bot.storage.sql import insert_ignoring_conflict

# Columns outside user_tables() that name a person.
AUDIT_PERSON_COLUMNS = ("subject", "actor")
INBOX_PERSON_COLUMNS = ("user_id",)  # a delivery not yet done: whose it is, for export and erasure
# The profile a person has whatever id they were seen under: the id that stays keeps its own values, and takes
# the other's where its own is unset or still the default.
PROFILE_DEFAULTS: dict[str, Any] = {"timezone": "Europe/London", "cohort": None, "role": "officer",
                                    "notice_shown_at": None}


@dataclass(frozen=True)
class KeepNewer:
    """Of two clashing rows the one with the later `column` stays (the person's latest choice)."""

    column: str


@dataclass(frozen=True)
class KeepBoth:
    """Both rows stay; the moved one's `column` (a client's idempotency key) is cleared so they no longer clash."""

    column: str


# Per table, how a clash on a unique key that includes user_id is settled.
CLASHES: dict[str, KeepNewer | KeepBoth] = {
    "submissions": KeepBoth("submission_key"),  # a self-assessment is never lost
    "subscriptions": KeepNewer("updated_at"),
    "deliveries": KeepNewer("claimed_at"),
    "commitments": KeepNewer("updated_at"),
    "published_charts": KeepNewer("created_at"),
    "answer_feedback": KeepNewer("created_at"),
    "manager_cohorts": KeepNewer("assigned_at"),
}


def person_unique_keys(table: Table) -> list[list[str]]:
    """The table's unique keys (primary key included) that include `user_id`, as column names."""
    keys = [list(table.primary_key.columns.keys())]
    keys += [[c.name for c in constraint.columns] for constraint in table.constraints
             if isinstance(constraint, UniqueConstraint)]
    keys += [[c.name for c in index.columns] for index in table.indexes if index.unique]
    return [k for k in keys if "user_id" in k]


class IdentityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def existing(self, ids: list[str]) -> list[str]:
        return list(self.session.scalars(select(UserRow.id).where(UserRow.id.in_(ids)).order_by(UserRow.id)))

    def ids_starting(self, prefix: str) -> list[str]:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return list(self.session.scalars(select(UserRow.id).where(UserRow.id.like(pattern, escape="\\"))))

    def installed_orgs(self) -> set[str]:
        """The organisation each installation's people are known under (its Grid organisation, else its
        workspace): ids under these are someone's current id, never leftovers."""
        c = SLACK_BOTS.c
        rows = self.session.execute(select(c.enterprise_id, c.team_id).where(c.bot_token.is_not(None)))
        return {str(enterprise or team) for enterprise, team in rows if enterprise or team}

    def merge(self, keep: str, others: list[str]) -> dict[str, int]:
        """Move every row of `others` to `keep` (created if new); returns rows moved per table (clashes settled
        by CLASHES count as `<table>.dropped`). Inside the caller's transaction; `others` that no longer exist
        (another process merged them first) are skipped."""
        insert_ignoring_conflict(self.session, UserRow.__table__, {  # type: ignore[arg-type]
            "id": keep, "created_at": self._created(others), **PROFILE_DEFAULTS}, ["id"], "id")
        # Lock the rows in id order (PostgreSQL; SQLite's transaction already holds the write lock).
        present = list(self.session.scalars(select(UserRow.id).where(UserRow.id.in_([keep, *others]))
                                            .order_by(UserRow.id).with_for_update()))
        counts: dict[str, int] = {}
        for other in sorted(set(present) - {keep}):
            self._take_profile(keep, other)
            for table in user_tables():
                moved, dropped = self._move(table, other, keep)
                _add(counts, table.name, moved)
                _add(counts, f"{table.name}.dropped", dropped)
            audit: Table = AuditRow.__table__  # type: ignore[assignment]
            for name in AUDIT_PERSON_COLUMNS:
                column = audit.c[name]
                _add(counts, "audit_log", self._count(update(audit).where(column == other).values({name: keep})))
            inbox: Table = InboxRow.__table__  # type: ignore[assignment]
            for name in INBOX_PERSON_COLUMNS:
                _add(counts, "inbox", self._count(update(inbox).where(inbox.c[name] == other).values({name: keep})))
            self.session.execute(delete(UserRow).where(UserRow.id == other))
            _add(counts, "users", 1)
        return {k: v for k, v in counts.items() if v}

    # -- one table -----------------------------------------------------------------------------------------
    def _move(self, table: Table, other: str, keep: str) -> tuple[int, int]:
        dropped = 0
        for key in person_unique_keys(table):
            dropped += self._settle(table, key, other, keep)
        moved = self._count(update(table).where(table.c.user_id == other).values(user_id=keep))
        return moved, dropped

    def _settle(self, table: Table, key: list[str], other: str, keep: str) -> int:
        """Settle the rows of `other` that would clash with `keep`'s on `key`; returns rows deleted."""
        rest = [table.c[name] for name in key if name != "user_id"]
        rule = CLASHES.get(table.name)
        pk = list(table.primary_key.columns)
        wanted = [*pk, *rest, *([table.c[rule.column]] if rule else [])]

        def rows(person: str) -> dict[tuple, Any]:
            found = self.session.execute(select(*wanted).where(table.c.user_id == person, *_not_null(rest)))
            return {tuple(r._mapping[c.name] for c in rest): r._mapping for r in found}

        theirs, ours = rows(other), rows(keep)
        clashes = [(theirs[k], ours[k]) for k in theirs.keys() & ours.keys()]
        if not clashes:
            return 0
        if rule is None:
            raise RuntimeError(f"{table.name}: two ids of one person both have a row for {key}, and no rule in "
                               "bot/storage/repositories/identities.py CLASHES says which stays")
        deleted = 0
        for moving, staying in clashes:
            if isinstance(rule, KeepBoth):
                self.session.execute(update(table).where(*_same_row(pk, moving)).values({rule.column: None}))
                continue
            newer_moves = moving[rule.column] is not None and (
                staying[rule.column] is None or moving[rule.column] > staying[rule.column])
            loser = staying if newer_moves else moving
            deleted += self._count(delete(table).where(*_same_row(pk, loser)))
        return deleted

    # -- the person's profile ------------------------------------------------------------------------------
    def _take_profile(self, keep: str, other: str) -> None:
        mine, theirs = self.session.get(UserRow, keep), self.session.get(UserRow, other)
        assert mine is not None and theirs is not None
        for name, default in PROFILE_DEFAULTS.items():
            if getattr(mine, name) == default and getattr(theirs, name) != default:
                setattr(mine, name, getattr(theirs, name))
        if theirs.notice_shown_at and mine.notice_shown_at and theirs.notice_shown_at < mine.notice_shown_at:
            mine.notice_shown_at = theirs.notice_shown_at  # when they were first given the notice
        if theirs.created_at < mine.created_at:
            mine.created_at = theirs.created_at
        self.session.flush()

    def _created(self, others: list[str]) -> Any:
        return self.session.scalar(select(UserRow.created_at).where(UserRow.id.in_(others))
                                   .order_by(UserRow.created_at).limit(1)) or datetime.now(UTC)

    def _count(self, statement: Any) -> int:
        return int(self.session.execute(statement).rowcount)  # type: ignore[attr-defined]


def _not_null(columns: list[Column]) -> list[Any]:
    return [c.is_not(None) for c in columns]  # NULLs never clash on a unique key


def _same_row(pk: list[Column], row: Any) -> list[Any]:
    return [c == row[c.name] for c in pk]


def _add(counts: dict[str, int], name: str, n: int) -> None:
    counts[name] = counts.get(name, 0) + n
