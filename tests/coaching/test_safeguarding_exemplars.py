"""The safeguarding screen's exemplar bank is written for it, never copied from the sets that measure it, and the
record of which exemplars were added after reading a set's misses is what the generalisation estimate needs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.coaching.safeguarding_semantic import load_exemplars
from bot.evaluation.safeguarding_generalisation import bank_without, derived_from, provenance

EVALS = Path(__file__).resolve().parents[2] / "evals"
WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def _bank_texts() -> list[str]:
    bank = load_exemplars()
    return [t for examples in bank["concerns"].values() for t in examples] + bank["ordinary"]


def _independent_messages() -> list[tuple[str, str]]:
    """(set, message) for the sets written independently of the detector (the dev sets are tuned on by design)."""
    found = []
    for name in provenance()["held_out_sets"]:
        data = yaml.safe_load((EVALS / name).read_text(encoding="utf-8"))
        found += [(name, c["text"]) for c in data["concerns"]] + [(name, m) for m in data["ordinary"]]
    return found


def test_no_exemplar_copies_or_closely_rewords_a_message_from_an_independent_set() -> None:
    # Jaccard overlap of words: a copy with a word or two changed shares most of its words with the original.
    messages = [(name, m, _words(m)) for name, m in _independent_messages()]
    # An exemplar that predates a set its blind author happened to echo is recorded, and only that pair is let by.
    earlier = {(entry["set"], entry["exemplar"]) for entry in provenance().get("written_before", [])}
    close = []
    for text in _bank_texts():
        words = _words(text)
        for name, message, theirs in messages:
            if (name, text) not in earlier and len(words & theirs) / len(words | theirs) >= 0.6:
                close.append((text, message))
    assert close == []


def test_every_exemplar_appears_once_across_the_kinds_and_the_ordinary_list() -> None:
    texts = [" ".join(t.lower().split()) for t in _bank_texts()]
    assert len(texts) == len(set(texts))


def test_the_provenance_names_sets_that_exist_and_exemplars_that_are_in_the_bank() -> None:
    record = provenance()
    bank = set(_bank_texts())
    assert all((EVALS / name).exists() for name in record["held_out_sets"])
    for entry in record["added_after_reading"]:
        assert set(entry["sets"]) <= set(record["held_out_sets"])
        assert set(entry["exemplars"]) <= bank


def test_a_held_out_set_is_measured_without_what_was_added_after_its_misses_were_read() -> None:
    record = {"held_out_sets": ["a.yaml", "b.yaml"],
              "added_after_reading": [{"sets": ["a.yaml"], "exemplars": ["fitted to a"]},
                                      {"sets": ["a.yaml", "b.yaml"], "exemplars": ["fitted to both", "plain"]}]}
    bank = {"concerns": {"distress": ["fitted to a", "written fresh"]}, "ordinary": ["plain", "kept"]}
    assert derived_from("a.yaml", record) == {"fitted to a", "fitted to both", "plain"}
    assert bank_without(bank, derived_from("b.yaml", record)) == {
        "concerns": {"distress": ["fitted to a", "written fresh"]}, "ordinary": ["kept"]}
