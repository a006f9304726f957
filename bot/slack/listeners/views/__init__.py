from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.views import (
    assessment_submission,
    commitment_form,
    exercise_answer,
    feedback_comment,
    forget_me_confirm,
)
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    feedback_comment.register(app, services)
    assessment_submission.register(app, services)
    forget_me_confirm.register(app, services)
    exercise_answer.register(app, services)
    commitment_form.register(app, services)
