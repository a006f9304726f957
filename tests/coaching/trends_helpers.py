"""Shared by the trends tests: people rating at given times, and a noise source that adds none."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.coaching.assessments import submit_assessment
from bot.coaching.conversation import set_profile
from bot.storage import Database


class NoNoise:
    """No noise: shows that the counting rules alone already stop the subtraction attacks (the real noise is
    trends_noise.LaplaceNoise), and lets tests state exact means."""

    epsilon = 1.0

    def __call__(self, sums: Sequence[int]) -> list[int]:
        return list(sums)

    def margin(self, people: int, draws: int = 1) -> float:
        return 0.0


def rate(db: Database, user: str, cohort: str | None, when: datetime, **ratings: int) -> None:
    """`user` (moved into `cohort` first, when given) rates at `when`."""
    if cohort is not None:
        set_profile(db.uow(), user, cohort=cohort)
    submit_assessment(db.uow(), user, {k.replace("_", "-"): v for k, v in ratings.items()}, now=when)


def cohort_of(db: Database, label: str, ratings: Sequence[int], when: datetime, attribute: str = "listening",
              prefix: str | None = None) -> list[str]:
    """A cohort whose members each give one rating of `attribute`; returns their ids."""
    people = [f"{prefix or label}-{i}" for i in range(len(ratings))]
    for person, value in zip(people, ratings, strict=True):
        rate(db, person, label, when, **{attribute: value})
    return people


def finish_exercise(db: Database, user: str, when: datetime, exercise: str = "letting-go") -> None:
    """`user` finishes a reflective exercise at `when` (started the same moment)."""
    with db.uow() as uow:
        session = uow.exercises.start(user, exercise, when)
        uow.exercises.advance(session.id, 1, "finished", when)
        uow.commit()


def enrol(db: Database, user: str, cohort: str | None, when: datetime) -> None:
    """`user` joins `cohort` at `when` and does nothing else."""
    from bot.storage.orm import UserRow

    set_profile(db.uow(), user, cohort=cohort)
    with db.engine.begin() as connection:
        connection.execute(UserRow.__table__.update().where(UserRow.id == user).values(created_at=when))
