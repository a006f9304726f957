"""How the safeguarding screen may do on a set nobody has tuned it on: leave one set out.

Each independently written set was read once its first run was over, and exemplars were added for what it
missed; measured again with those exemplars, it says how well the screen fits that set, not how it will do on
the next one. Here each held-out set is measured with a screen fitted without every exemplar added after its
misses could be read (evals/safeguarding_exemplar_provenance.yaml). The pooled figure is the one that predicts
a new sealed set. The word rules are not left out (they were edited after some sets too), so it is still an
upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.evaluation.safeguarding import SafeguardingScore, score_file
from bot.paths import evals_dir

PROVENANCE = "safeguarding_exemplar_provenance.yaml"


@dataclass(frozen=True)
class HeldOut:
    score: SafeguardingScore
    left_out: int  # exemplars left out of the bank for this set


def provenance(path: Path | None = None) -> dict[str, Any]:
    return yaml.safe_load((path or evals_dir() / PROVENANCE).read_text(encoding="utf-8"))


def derived_from(name: str, record: dict[str, Any]) -> set[str]:
    """The exemplars that may have been derived from set `name`: every one added after its misses were read."""
    return {text for entry in record["added_after_reading"] if name in entry["sets"] for text in entry["exemplars"]}


def bank_without(bank: dict[str, Any], texts: set[str]) -> dict[str, Any]:
    return {"concerns": {kind: [t for t in examples if t not in texts] for kind, examples in bank["concerns"].items()},
            "ordinary": [t for t in bank["ordinary"] if t not in texts]}


def leave_one_set_out(names: list[str] | None = None, record: dict[str, Any] | None = None) -> list[HeldOut]:
    """Each set in `names` (by default every held-out set the provenance lists) scored by the offline screen
    fitted without the exemplars derived from it."""
    from bot.coaching.safeguarding import assess, names_a_concern
    from bot.coaching.safeguarding_semantic import load_exemplars, screen_with

    record = record or provenance()
    bank = load_exemplars()
    embed = _shared_embedding()
    found = []
    for name in names or record["held_out_sets"]:
        left = derived_from(name, record)
        layer = screen_with(names_a_concern, bank_without(bank, left), embed)

        def detect(text: str, layer: Any = layer) -> Any:
            recognition = assess(text, layer=layer).recognition
            return recognition.concern if recognition else None

        found.append(HeldOut(score_file(evals_dir() / name, detect), len(left)))
    return found


def pooled(held: list[HeldOut]) -> SafeguardingScore:
    scores = [h.score for h in held]
    return SafeguardingScore("pooled", sum(s.concerns for s in scores), sum(s.recognised for s in scores),
                             sum(s.ordinary for s in scores), sum(s.kept for s in scores))


def _shared_embedding() -> Any:
    """One memory of message pieces for every held-out screen: the same text embeds once."""
    from bot.coaching.safeguarding_semantic import local_model_settings
    from bot.retrieval.embeddings import build_embedder

    embedder = build_embedder(local_model_settings())
    memory: dict[str, np.ndarray] = {}

    def embed(text: str) -> np.ndarray:
        if text not in memory:
            memory[text] = embedder.embed([text])[0]
        return memory[text]

    return embed
