"""How the safeguarding screen may do on a set nobody has tuned it on: leave one set out.

Each independently written set was read once its first run was over, and exemplars were added for what it
missed; measured again with those exemplars, it says how well the screen fits that set, not how it will do on
the next one. Here each held-out set is measured with a screen fitted without every exemplar added after its
misses could be read (evals/safeguarding_exemplar_provenance.yaml), and without the set's own messages, which
the screen is otherwise fitted on (TRAINING_SETS in bot/coaching/safeguarding_semantic.py), nor any message of
another set that closely rewords one of them (the same words once case and punctuation are set aside, or a cosine
of REWORDING or more between the whole messages' embeddings). Each held-out set's screen has its own reader,
fine-tuned on the same reduced rows (bot/coaching/safeguarding_reader.py; minutes each the first time, cached
after), since a reader tuned on the set would have learnt it. The pooled figure is the one that predicts a new
sealed set. The word rules are not left out (they were edited after some sets too), so it is still an upper bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.evaluation.safeguarding import SafeguardingScore, score_file
from bot.paths import evals_dir

PROVENANCE = "safeguarding_exemplar_provenance.yaml"
# A training message this close (cosine, whole message against whole message) to one of the held-out set's is
# taken for a rewording of it and left out with it.
REWORDING = 0.9


@dataclass(frozen=True)
class HeldOut:
    score: SafeguardingScore
    left_out: int  # exemplars left out of the bank for this set
    messages_left_out: int = 0  # the set's own messages, left out of the evaluation-set messages fitted on
    rewordings: tuple[tuple[str, str], ...] = ()  # (held-out message, other set's message) pairs left out too


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
    fitted without the exemplars derived from it, its own messages and their close rewordings in other sets."""
    from bot.coaching.safeguarding import assess, names_a_concern
    from bot.coaching.safeguarding_semantic import load_exemplars, load_training_messages, screen_with

    record = record or provenance()
    bank = load_exemplars()
    training = load_training_messages()
    embed = _shared_embedding()
    found = []
    for name in names or record["held_out_sets"]:
        left = derived_from(name, record)
        held_out = [m.text for m in load_training_messages([name])]
        others = [m for m in training if m.source != name]
        pairs = rewordings(held_out, [m.text for m in others], embed)
        reworded = {other for _, other in pairs}
        kept = [m for m in others if m.text not in reworded]
        layer = screen_with(names_a_concern, bank_without(bank, left), kept)

        def detect(text: str, layer: Any = layer) -> Any:
            recognition = assess(text, layer=layer).recognition
            return recognition.concern if recognition else None

        found.append(HeldOut(score_file(evals_dir() / name, detect), len(left), len(training) - len(others),
                             tuple(pairs)))
    return found


def rewordings(held_out: Sequence[str], others: Sequence[str],
               embed: Callable[[str], np.ndarray]) -> list[tuple[str, str]]:
    """(held-out message, other message) for each other message that closely rewords a held-out one: the same
    text once case, punctuation and spacing are set aside, or a cosine of REWORDING or more."""
    if not held_out or not others:
        return []
    same = {_normalised(text): text for text in held_out}
    held = _unit(np.vstack([embed(text) for text in held_out]))
    other = _unit(np.vstack([embed(text) for text in others]))
    similarity = other @ held.T
    found = []
    for row, text in enumerate(others):
        if _normalised(text) in same:
            found.append((same[_normalised(text)], text))
        elif similarity[row].max() >= REWORDING:
            found.append((held_out[int(similarity[row].argmax())], text))
    return found


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


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
