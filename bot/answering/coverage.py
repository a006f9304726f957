"""Whether the guidance covers a question: one rule for every answerer and for the evaluation.

Two signals from the retriever: how close the question is to the guidance (its closest facet) and how close
it is to the nearest example of what the guidance does not cover (knowledge/off_topic.yaml). A question that
shares the guidance's words ("partnership", "council", "board") but asks about procedure, law or money sits
closer to those examples, and is declined rather than answered with quotations beside the point.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CoverageRule:
    threshold: float  # the guidance must be at least this close (cosine of the closest facet)
    margin: float  # ... and closer than the nearest off-topic example by at least this much

    def covers(self, guidance: float, off_topic: float) -> bool:
        return guidance >= self.threshold and guidance - off_topic >= self.margin


# Calibrated with `coach eval retrieval` on evals/retrieval_gold.yaml and evals/decline_dev.yaml (see the
# README); evals/retrieval_holdout.yaml is kept for checking, never for tuning.
DEFAULT_RULE = CoverageRule(threshold=0.38, margin=0.0)
