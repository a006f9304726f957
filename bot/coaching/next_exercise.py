"""Which exercise next: rotate, and favour attributes rated lowest or not reflected on lately."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.coaching.exercises import Exercise, ExerciseLibrary

if TYPE_CHECKING:
    from bot.storage.uow import SqlUnitOfWork

UNRATED_NEED = 2.5  # an attribute never rated counts as middling need, below one rated 1 or 2
STALE_AFTER_DAYS = 28.0


def rank_exercises(library: ExerciseLibrary, latest_ratings: dict[str, int], last_done: dict[str, datetime],
                   last_offered: dict[str, datetime], now: datetime, hold_back: int = 2) -> list[Exercise]:
    """Exercises best first.

    `last_done`: when the user last worked on each exercise (drives "not reflected on lately").
    `last_offered`: when each was last done or sent as a weekly prompt; the `hold_back` most recent are
    ranked last so consecutive weeks differ, and ties go to the one offered longest ago.
    """
    last_reflected: dict[str, datetime] = {}
    for exercise in library:
        if exercise.id in last_done:
            for attribute in exercise.attributes:
                seen = last_reflected.get(attribute)
                last_reflected[attribute] = max(seen, last_done[exercise.id]) if seen else last_done[exercise.id]

    def need(attribute: str) -> float:
        rating_need = 5 - latest_ratings[attribute] if attribute in latest_ratings else UNRATED_NEED
        when = last_reflected.get(attribute)
        staleness = 2.0 if when is None else min((now - when).days / STALE_AFTER_DAYS, 2.0)
        return rating_need + staleness

    recent = sorted(last_offered, key=lambda e: last_offered[e], reverse=True)
    held_back = set(recent[: max(0, min(hold_back, len(library) - 1))])  # never hold back every exercise
    never = datetime.min.replace(tzinfo=now.tzinfo)

    def key(exercise: Exercise) -> tuple[bool, float, datetime, str]:
        return (exercise.id in held_back, -max(need(a) for a in exercise.attributes),
                last_offered.get(exercise.id, never), exercise.id)

    return sorted(library, key=key)


def choose_next_exercise(uow: SqlUnitOfWork, library: ExerciseLibrary, user_id: str, now: datetime) -> Exercise:
    """Inside an open unit of work: the best next exercise for `user_id`."""
    if not len(library):
        from bot.errors import ConfigurationError

        raise ConfigurationError("No reflective exercises are installed (knowledge/exercises/*.yaml).")
    last_done = uow.exercises.last_done(user_id)
    last_offered = dict(last_done)
    for delivery in uow.weekly.deliveries(user_id):
        if delivery.exercise_id and delivery.claimed_at > last_offered.get(delivery.exercise_id, delivery.claimed_at
                                                                            - timedelta(seconds=1)):
            last_offered[delivery.exercise_id] = delivery.claimed_at
    return rank_exercises(library, uow.assessments.latest_ratings(user_id), last_done, last_offered, now)[0]
