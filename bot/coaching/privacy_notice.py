"""The privacy notice (UK GDPR Articles 13 and 14), given once on a person's first use, and the record of it.

A notice, not a consent form: the coach relies on public task (or the basis in COACH_LAWFUL_BASIS), because a
public authority cannot rely on consent for processing it does as part of its work, least of all from its own
staff. So nothing waits for an "I agree"; what is recorded is that the notice was given, and when.
The text is plain (no Slack or terminal markup): each surface escapes it and adds how to use the rights there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from bot.coaching import validation

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.storage.uow import SqlUnitOfWork

HEADING = "Privacy notice: how the Partnership Leadership Coach uses your information"
ICO = "the Information Commissioner's Office (ico.org.uk/make-a-complaint, 0303 123 1113)"
_BASES = {
    "public_task": "public task (UK GDPR Article 6(1)(e)): developing the leadership of the people who deliver "
                   "{controller}'s services and partnerships is part of the work it does in the public interest",
    "legitimate_interests": "legitimate interests (UK GDPR Article 6(1)(f)): {controller}'s interest in developing "
                            "the leadership of its people, weighed against your interests and rights",
    "contract": "contract (UK GDPR Article 6(1)(b)): the coaching is part of a programme you agreed to take part in",
}
_OBJECTABLE = ("public_task", "legitimate_interests")  # Article 21 applies to 6(1)(e) and (f) only


def privacy_notice(settings: Settings) -> str:
    """The notice, one line per paragraph (terminals and Slack wrap it to their own width)."""
    controller = settings.controller_name or ("the organisation that runs this coach (not named here yet: ask "
                                              "whoever gave you access)")
    contact = settings.controller_contact or "whoever gave you access to the coach"
    who = f"Who is responsible (the controller): {controller}. Contact: {contact}."
    if settings.dpo_contact:
        who += f" Data protection officer: {settings.dpo_contact}."
    basis = _BASES[settings.lawful_basis].format(controller=settings.controller_name or "the organisation")
    rights = ("Your rights: to a copy of your data, to have it corrected, to have it erased, "
              + ("to object to its use, " if settings.lawful_basis in _OBJECTABLE else "")
              + f"to restrict its use, and to complain to {ICO}. For anything the commands below do not do, "
              f"contact {contact}.")
    paragraphs = [
        HEADING, who,
        "Why: to help you grow as a partnership leader (answers from the partnership leadership guidance, "
        "self-assessment against its nine attributes, reflective exercises, weekly prompts) and to give programme "
        "managers anonymous group figures on how cohorts develop.",
        f"Lawful basis: {basis}. The coach does not ask for your consent: using it is your choice, and you can "
        "stop and have your data erased at any time.",
        "What is stored: your user id, timezone, role and cohort or organisation label; your self-ratings and any "
        "notes with them; your answers to reflective exercises, and what you commit to at the end of one (what, by "
        "when, with whom, and how it went); your weekly-prompt settings (and any pause); feedback you give on "
        "answers; recent conversation turns (your questions and the coach's answers) so it can follow a "
        "conversation; and a log of who did what with your data.",
        f"Who sees what: you see all of your own data. Programme managers see only anonymous group figures "
        f"(averages for groups of at least {settings.trends_min_cohort} people), never your name, ratings, notes "
        "or answers; `/coach what-managers-see` shows you the figures they see that include you. The "
        "administrators who run the coach can reach its database; what they do to your data "
        "with the coach's own tools is logged under their name. Nobody else in the organisation sees it.",
        "Where it goes: " + _where_it_goes(settings),
        f"How long: conversation turns {settings.turn_retention_days} days; notes, reflection answers, commitments "
        f"and feedback comments {settings.retention_days} days; ratings until you erase them. After an erasure "
        "the log keeps only that an erasure happened, under a pseudonym.",
        rights,
    ]
    return "\n\n".join(paragraphs) + "\n"


def notice_gaps(settings: Settings) -> list[str]:
    """Settings the notice needs but that are unset, as what to set and why (for the operator, not the person)."""
    gaps = []
    if not settings.controller_name:
        gaps.append("COACH_CONTROLLER_NAME: the organisation responsible for the data")
    if not settings.controller_contact:
        gaps.append("COACH_CONTROLLER_CONTACT: how people reach it about their data")
    if not settings.dpo_contact and settings.lawful_basis == "public_task":
        gaps.append("COACH_DPO_CONTACT: a public authority must have a data protection officer (Article 37)")
    if _sends_to_provider(settings) and not settings.model_provider:
        gaps.append(f"COACH_MODEL_PROVIDER: who runs {_endpoint_host(settings)} (the notice shows the host name)")
    return gaps


def record_notice_shown(uow: SqlUnitOfWork, user_id: str, *, actor: str | None = None,
                        now: datetime | None = None) -> datetime:
    """Record that `user_id` has been given the notice (once; later calls return the first time)."""
    user_id = validation.user_id(user_id)
    now = now or datetime.now(UTC)
    with uow:
        user = uow.users.ensure(user_id, now)
        if user.notice_shown_at is not None:
            return user.notice_shown_at
        uow.users.update(user_id, notice_shown_at=now)
        uow.audit.record(user_id, "notice_shown", now, actor=actor)
        uow.commit()
    return now


def notice_shown(uow: SqlUnitOfWork, user_id: str) -> bool:
    with uow:
        user = uow.users.get(user_id)
    return user is not None and user.notice_shown_at is not None


def _where_it_goes(settings: Settings) -> str:
    provider = settings.model_provider or f"the provider at {_endpoint_host(settings)}"
    sent = []
    if settings.llm_configured:
        sent.append(f"to write each answer, your question, the recent turns of the conversation and the guidance "
                    f"passages found for it are sent to an AI model run by {provider}")
        sent.append("to write the feedback at the end of a reflective exercise, your answers to it (email "
                    "addresses and Slack mentions taken out) and the passages found for them are sent to the same "
                    "model")
    if settings.embedding_backend == "openai":
        sent.append(f"to search the guidance, your questions and exercise answers are sent to {provider} to be "
                    "turned into search vectors")
    text = ("; ".join(sent) + ". " if sent else
            "the coach writes its answers itself, from the guidance; what you write is not sent to any AI model "
            "provider. ")
    if settings.slack_bot_token is not None:
        text += ("In Slack, your messages with the coach are also held by Slack, under your organisation's "
                 "agreement and retention settings with Slack. ")
    return text + "The coach passes your data to no one else."


def _sends_to_provider(settings: Settings) -> bool:
    return settings.llm_configured or settings.embedding_backend == "openai"


def _endpoint_host(settings: Settings) -> str:
    if not settings.openai_base_url:
        return "api.openai.com (OpenAI)"
    return urlparse(settings.openai_base_url).hostname or settings.openai_base_url
