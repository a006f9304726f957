"""The privacy notice: what UK GDPR Articles 13 and 14 ask it to say, filled in from the settings."""

from __future__ import annotations

import pytest

from bot.coaching.privacy_notice import notice_gaps, privacy_notice
from bot.config import Settings

COUNCIL = {"controller_name": "Kent County Council", "controller_contact": "coach-data@kent.gov.uk",
           "dpo_contact": "dpo@kent.gov.uk"}


def settings(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]  (tests/conftest.py clears COACH_, OPENAI_, SLACK_)


def test_the_notice_names_controller_purpose_basis_data_audience_retention_and_rights() -> None:
    text = privacy_notice(settings(**COUNCIL, retention_days=200, turn_retention_days=21, trends_min_cohort=7))
    assert "(the controller): Kent County Council" in text
    assert "coach-data@kent.gov.uk" in text and "Data protection officer: dpo@kent.gov.uk" in text
    assert "Why: to help you grow as a partnership leader" in text
    assert "public task (UK GDPR Article 6(1)(e))" in text and "does not ask for your consent" in text
    assert "self-ratings" in text and "answers to reflective exercises" in text and "conversation turns" in text
    assert "anonymous group figures (averages for groups of at least 7 people)" in text
    assert "conversation turns 21 days" in text and "feedback comments 200 days" in text
    for right in ("a copy of your data", "corrected", "erased", "to object", "to complain to the Information "
                  "Commissioner's Office (ico.org.uk/make-a-complaint"):
        assert right in text


def test_without_a_model_nothing_is_said_to_leave_for_a_model_provider() -> None:
    text = privacy_notice(settings(**COUNCIL))
    assert "not sent to any AI model provider" in text and "sent to an AI model" not in text
    assert "Slack" not in text  # no Slack app configured


@pytest.mark.parametrize(("values", "provider"), [
    ({"model_provider": "Microsoft Azure OpenAI (UK South)", "openai_api_key": "sk-test"},
     "Microsoft Azure OpenAI (UK South)"),
    ({"openai_base_url": "https://llm.internal.kent.gov.uk/v1"}, "the provider at llm.internal.kent.gov.uk"),
    ({"openai_api_key": "sk-test"}, "the provider at api.openai.com (OpenAI)"),
])
def test_with_a_model_the_notice_says_what_is_sent_and_to_whom(values: dict, provider: str) -> None:
    text = privacy_notice(settings(**COUNCIL, **values))
    assert ("your question, the recent turns of the conversation and the guidance passages found for it are "
            f"sent to an AI model run by {provider}") in text
    assert "not sent to any AI model provider" not in text


def test_openai_embeddings_are_named_as_a_recipient_too() -> None:
    text = privacy_notice(settings(**COUNCIL, embedding_backend="openai", openai_api_key="sk-test",
                                   model_provider="OpenAI"))
    assert "your questions and exercise answers are sent to OpenAI to be turned into search vectors" in text


def test_in_slack_the_notice_says_slack_holds_the_messages_too() -> None:
    assert "held by Slack" in privacy_notice(settings(**COUNCIL, slack_bot_token="xoxb-test"))


@pytest.mark.parametrize(("basis", "says", "objection"), [
    ("public_task", "public task (UK GDPR Article 6(1)(e))", True),
    ("legitimate_interests", "legitimate interests (UK GDPR Article 6(1)(f))", True),
    ("contract", "contract (UK GDPR Article 6(1)(b))", False),  # Article 21 gives no right to object here
])
def test_the_lawful_basis_comes_from_the_settings(basis: str, says: str, objection: bool) -> None:
    text = privacy_notice(settings(**COUNCIL, lawful_basis=basis))
    assert says in text
    assert ("to object to its use" in text) is objection


def test_consent_is_not_a_basis_the_coach_can_be_set_to() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="lawful_basis"):
        settings(lawful_basis="consent")


def test_an_unconfigured_controller_is_not_invented_and_the_operator_is_told_what_to_set() -> None:
    bare = settings(openai_api_key="sk-test")
    text = privacy_notice(bare)
    assert "the organisation that runs this coach (not named here yet" in text
    gaps = "\n".join(notice_gaps(bare))
    for name in ("COACH_CONTROLLER_NAME", "COACH_CONTROLLER_CONTACT", "COACH_DPO_CONTACT", "COACH_MODEL_PROVIDER"):
        assert name in gaps
    assert notice_gaps(settings(**COUNCIL)) == []
