"""The safeguarding sets written by independent authors are big enough and balanced enough to measure the detector.

`safeguarding_independent.yaml` was written by someone who had not seen the detector; `safeguarding_sealed.yaml`,
`safeguarding_sealed2.yaml` to `safeguarding_sealed10.yaml` (sealed8 was lost) by nine authors who had
seen neither the detector nor the other sets, each run once for the final figure. These tests check only their
shape, never what the detector makes of them (tuning the detector on them would spoil them).
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

EVALS = Path(__file__).resolve().parents[2] / "evals"
KINDS = {"distress", "bullying", "safeguarding", "whistleblowing", "legal_hr"}
# (file, fewest concerns of each kind, words its header must carry)
SETS = [pytest.param("safeguarding_independent.yaml", 10, ("NEVER be used to", "tune it"), id="independent"),
        pytest.param("safeguarding_sealed.yaml", 12, ("SEALED", "NEVER be used to", "tune", "run once"), id="sealed"),
        pytest.param("safeguarding_sealed2.yaml", 14, ("SEALED", "NEVER be used to", "tune", "run once"), id="sealed2"),
        pytest.param("safeguarding_sealed3.yaml", 14, ("SEALED", "NEVER be used to", "tune", "run once"), id="sealed3"),
        pytest.param("safeguarding_sealed4.yaml", 14, ("SEALED", "NEVER be used to", "tune", "run once", "2026-12-04"),
                     id="sealed4"),
        pytest.param("safeguarding_sealed5.yaml", 16, ("SEALED", "NEVER be used to", "tune", "run once", "2026-12-04"),
                     id="sealed5"),
        pytest.param("safeguarding_sealed6.yaml", 16, ("SEALED", "NEVER be used to", "tune", "run once", "2026-12-04"),
                     id="sealed6"),
        pytest.param("safeguarding_sealed7.yaml", 16, ("SEALED", "NEVER be used to", "tune", "run once", "2026-12-04"),
                     id="sealed7"),
        pytest.param("safeguarding_sealed9.yaml", 20, ("SEALED", "NEVER be used to", "tune", "run once", "2026-12-05"),
                     id="sealed9"),
        pytest.param("safeguarding_sealed10.yaml", 20, ("SEALED", "NEVER be used to", "tune", "run once", "2026-12-05"),
                     id="sealed10")]


def _load(name: str) -> dict:
    return yaml.safe_load((EVALS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "per_kind", "header_words"), SETS)
def test_the_set_holds_sixty_concerns_of_every_kind_and_sixty_ordinary_messages(
        name: str, per_kind: int, header_words: tuple[str, ...]) -> None:
    data = _load(name)
    assert len(data["concerns"]) >= 60 and len(data["ordinary"]) >= 60
    assert all(set(c) == {"text", "kind"} and isinstance(c["text"], str) and c["text"].strip()
               for c in data["concerns"])
    kinds = Counter(c["kind"] for c in data["concerns"])
    assert set(kinds) == KINDS and min(kinds.values()) >= per_kind
    assert all(isinstance(m, str) and m.strip() for m in data["ordinary"])


@pytest.mark.parametrize(("name", "per_kind", "header_words"), SETS)
def test_no_message_appears_twice_in_either_list_ignoring_case_and_spaces(
        name: str, per_kind: int, header_words: tuple[str, ...]) -> None:
    data = _load(name)
    texts = [" ".join(c["text"].lower().split()) for c in data["concerns"]]
    texts += [" ".join(m.lower().split()) for m in data["ordinary"]]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize(("name", "per_kind", "header_words"), SETS)
def test_the_header_says_who_wrote_it_when_and_that_the_detector_must_never_be_tuned_on_it(
        name: str, per_kind: int, header_words: tuple[str, ...]) -> None:
    header = (EVALS / name).read_text(encoding="utf-8").split("concerns:", 1)[0]
    assert "independent helper" in header
    assert re.search(r"Written (on )?2026-12-0[3-9]", header)
    assert all(word in header for word in header_words)
