from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.actions import (
    answer_exercise,
    checkin,
    commitments,
    exercise_moves,
    exercise_step,
    feedback,
    home,
    remembers,
    talk_to_person,
    weekly_prompt,
)
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    feedback.register(app, services)
    exercise_step.register(app, services)
    checkin.register(app, services)
    weekly_prompt.register(app, services)
    home.register(app, services)
    answer_exercise.register(app, services)
    commitments.register(app, services)
    remembers.register(app, services)
    exercise_moves.register(app, services)
    talk_to_person.register(app, services)
