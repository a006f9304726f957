"""The sealed safeguarding set is big enough and balanced enough to give the final figure for the detector.

It was written by an independent helper who had seen neither the detector nor the other sets, and it is run once,
for the final figure; these tests check only its shape, never what the detector makes of it (tuning the detector
on it would spoil it).
"""

from collections import Counter
from pathlib import Path

import yaml

SET = Path(__file__).resolve().parents[2] / "evals" / "safeguarding_sealed.yaml"
KINDS = {"distress", "bullying", "safeguarding", "whistleblowing", "legal_hr"}


def _load() -> dict:
    return yaml.safe_load(SET.read_text(encoding="utf-8"))


def test_the_set_holds_at_least_sixty_concerns_and_sixty_ordinary_messages() -> None:
    data = _load()
    assert len(data["concerns"]) >= 60
    assert len(data["ordinary"]) >= 60


def test_every_concern_has_text_and_one_of_the_five_kinds_each_at_least_twelve_times() -> None:
    concerns = _load()["concerns"]
    assert all(set(c) == {"text", "kind"} and isinstance(c["text"], str) and c["text"].strip() for c in concerns)
    kinds = Counter(c["kind"] for c in concerns)
    assert set(kinds) == KINDS
    assert min(kinds.values()) >= 12


def test_ordinary_messages_are_plain_strings() -> None:
    assert all(isinstance(m, str) and m.strip() for m in _load()["ordinary"])


def test_no_message_appears_twice_in_either_list_ignoring_case_and_spaces() -> None:
    data = _load()
    texts = [" ".join(c["text"].lower().split()) for c in data["concerns"]]
    texts += [" ".join(m.lower().split()) for m in data["ordinary"]]
    assert len(texts) == len(set(texts))


def test_the_header_says_who_wrote_it_when_and_that_it_is_sealed() -> None:
    header = SET.read_text(encoding="utf-8").split("concerns:", 1)[0]
    assert "independent helper" in header
    assert "2026-12-03" in header
    assert "SEALED" in header
    assert "NEVER be used to" in header and "tune" in header
    assert "run once" in header
