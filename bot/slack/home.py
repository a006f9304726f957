"""Gathering what the Home tab shows from the coaching core."""

from __future__ import annotations

from bot.coaching.history import history_summary
from bot.coaching.weekly import subscription_status
from bot.slack.blocks.home import HomeData
from bot.slack.blocks.weekly import status_text
from bot.slack.services import SlackServices


def home_data(services: SlackServices, person: str) -> HomeData:
    coaching = services.coaching
    if coaching is None:
        return HomeData()
    db = coaching.db
    history = history_summary(db.uow(), person)
    sub = subscription_status(db.uow(), person)
    weekly = status_text(True, sub.weekday, sub.local_time, sub.timezone) if sub and sub.active else None
    with db.uow() as uow:
        session = uow.exercises.active_session(person)
        user = uow.users.get(person)
    exercise = None
    if session is not None and session.exercise_id in coaching.library.ids:
        found = coaching.library.get(session.exercise_id)
        exercise = f"{found.title} (step {session.current_step + 1} of {len(found.steps)})"
    return HomeData(history=history, exercise=exercise, weekly=weekly,
                    programme_manager=user is not None and user.role == "programme_manager")
