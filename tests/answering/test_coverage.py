"""When the guidance covers a question: close to the guidance, and not closer to an example of what it does not
cover (knowledge/off_topic.yaml). Short everyday coaching questions are answered; questions that borrow the
guidance's words to ask about law, procedure or money are declined."""

from __future__ import annotations

import pytest

from bot.answering.coverage import CoverageRule

# Part of the calibration of DEFAULT_RULE (see bot/answering/coverage.py): every one must be answered.
SHORT_EVERYDAY = [
    "How do I build trust with the NHS?",
    "How do I build trust with the police?",
    "What makes a good partnership leader?",
    "How do I get partners to agree a shared vision?",
    "Should the council always chair the partnership?",
    "How do I stop the council dominating?",
    "How do I listen better to partners?",
    "How do I manage risk across partners?",
    "When should I let go and let others lead?",
    "What is the point of our LSP?",
    "How do I keep councillors on board with the partnership?",
    "How do I work with the voluntary sector?",
    "How can I involve business in our partnership?",
    "Is partnership working worth the effort?",
    "How do I challenge partners without falling out?",
    "What should I ask before we set up a new partnership?",
    "How do I lead when I have no formal authority?",
    "What does good partnership leadership look like?",
    "How can I understand the pressures on the NHS better?",
    "How do we hold partners to account?",
    "How do I build relationships with health colleagues?",
    "What are the four fields of partnership leadership?",
    "How do I make our partnership board more effective?",
    "How do I get the police to engage with our partnership?",
    "How much time should I spend on relationships?",
    "How do I communicate our vision to the public?",
    "Who should lead our partnership?",
    "What did the national evaluation of LSPs find?",
    "How do I deal with a partner who won't compromise?",
    "How can officers show leadership in partnerships?",
]
# Near misses from evals/decline_dev.yaml, and plainly unrelated requests.
NEAR_MISSES = [
    "Can you draft terms of reference for our community safety partnership?",
    "Under the Local Government Act 2000, how far does the council's well-being power actually stretch?",
    "How can a police and crime commissioner be removed from office?",
    "When are the next county council elections?",
    "How do we register our community partnership as a charity with the Charity Commission?",
    "Can you book me a meeting room for Tuesday?",
]
# Near misses no pattern of bot.answering.near_miss names, which the closeness rule alone answered: declined
# because they read like the off-topic examples rather than like what the guidance answers.
READ_AS_OFF_TOPIC = [
    "What scoring matrix should we use for likelihood and impact on the partnership risk register?",
    "Can you explain the difference between an integrated care board and an integrated care partnership?",
    "How do I calculate the social return on investment for the grants we give to voluntary sector organisations?",
    "How should we structure the annual performance review of the chief executive?",
    "Please produce a terms of reference document for our new place board.",
    "What rate of inflation should we assume in next year's joint budget with the NHS?",
]


def test_the_guidance_must_be_close_and_not_further_than_the_nearest_off_topic_example_allows() -> None:
    rule = CoverageRule(threshold=0.4, margin=-0.05)
    assert rule.covers(guidance=0.6, off_topic=0.3)
    assert rule.covers(guidance=0.6, off_topic=0.64)  # within the margin
    assert not rule.covers(guidance=0.6, off_topic=0.7)
    assert not rule.covers(guidance=0.39, off_topic=-1.0)  # too far from the guidance, whatever else


@pytest.mark.parametrize("question", SHORT_EVERYDAY)
def test_a_short_everyday_coaching_question_is_answered(offline_answerer, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = offline_answerer.answer(question)
    assert answer.covered, (question, answer.meta)


@pytest.mark.parametrize("question", NEAR_MISSES)
def test_a_question_in_the_guidances_words_about_something_else_is_declined(offline_answerer,  # type: ignore[no-untyped-def]
                                                                             question: str) -> None:
    answer = offline_answerer.answer(question)
    assert not answer.covered and answer.mode == "declined"
    assert not answer.citations


def test_a_question_that_reads_unlike_what_the_guidance_answers_is_declined_unless_the_guidance_is_very_close(
) -> None:
    rule = CoverageRule(threshold=0.4, margin=-0.05, in_scope=0.1, sure=0.8)
    assert rule.covers(guidance=0.6, off_topic=0.3, in_scope=0.5)
    assert not rule.covers(guidance=0.6, off_topic=0.3, in_scope=0.05)
    assert rule.covers(guidance=0.85, off_topic=0.3, in_scope=0.05)  # the guidance all but states the answer
    assert not rule.covers(guidance=0.85, off_topic=0.95, in_scope=0.9)  # still closer to an off-topic example


@pytest.mark.parametrize("question", READ_AS_OFF_TOPIC)
def test_a_near_miss_no_pattern_names_is_declined_with_what_the_coach_can_help_with(  # type: ignore[no-untyped-def]
        offline_answerer, question: str) -> None:
    answer = offline_answerer.answer(question)
    assert (answer.covered, answer.mode, answer.citations) == (False, "declined", [])
    assert "I can help with" in answer.text


def test_the_default_rule_uses_the_off_topic_examples(guidance_retriever) -> None:  # type: ignore[no-untyped-def]
    # The bundled index carries the examples; without them the near misses above would be answered.
    assert guidance_retriever.off_topic_similarity("When are the next county council elections?") > 0.5
