"""The similarity layer is fitted on the evaluation sets named in TRAINING_SETS, and the leave-one-set-out estimate
leaves out the held-out set's messages and their close rewordings in other sets."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from bot.coaching import safeguarding_semantic
from bot.coaching.safeguarding_semantic import (
    CONCERN_MESSAGE_WEIGHT,
    NOT_FITTED_ON,
    ORDINARY,
    TRAINING_SETS,
    Message,
    _fit,
    load_training_messages,
    pieces,
    training_examples,
)
from bot.evaluation.safeguarding_generalisation import provenance, rewordings

EVALS = Path(__file__).resolve().parents[2] / "evals"


def test_the_training_sets_are_named_one_by_one_and_every_one_is_there() -> None:
    # a literal tuple, not a glob: a set added later is run once before anything is fitted on it
    source = Path(safeguarding_semantic.__file__).read_text(encoding="utf-8")
    assigned = next(node for node in ast.parse(source).body if isinstance(node, ast.Assign)
                    and any(getattr(t, "id", "") == "TRAINING_SETS" for t in node.targets))
    assert isinstance(assigned.value, ast.Tuple)
    assert all(isinstance(e, ast.Constant) for e in assigned.value.elts)
    assert len(set(TRAINING_SETS)) == len(TRAINING_SETS)
    assert all((EVALS / name).is_file() for name in TRAINING_SETS)
    # every held-out set is fitted on, or is named as not fitted on (with why, beside the constant)
    assert set(provenance()["held_out_sets"]) <= set(TRAINING_SETS) | set(NOT_FITTED_ON)
    assert not set(NOT_FITTED_ON) & set(TRAINING_SETS)
    messages = load_training_messages()
    assert {m.source for m in messages} == set(TRAINING_SETS)


def test_a_named_set_that_is_missing_stops_the_fit(tmp_path: Path) -> None:
    (tmp_path / "present.yaml").write_text("concerns:\n- {text: I cannot go on, kind: distress}\nordinary:\n- hi\n",
                                           encoding="utf-8")
    assert len(load_training_messages(["present.yaml"], tmp_path)) == 2
    with pytest.raises(FileNotFoundError, match=r"absent\.yaml"):
        load_training_messages(["present.yaml", "absent.yaml"], tmp_path)
    (tmp_path / "shapeless.yaml").write_text("concerns: {distress: [x]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"shapeless\.yaml"):
        load_training_messages(["shapeless.yaml"], tmp_path)


def test_a_concern_goes_in_whole_at_its_weight_and_an_ordinary_message_in_the_pieces_the_screen_reads() -> None:
    ordinary = "The board is exhausted after three reorganisations, so how do I re-energise it? It matters to me."
    found = training_examples([Message("s.yaml", "I can't cope, I'm crying before every meeting", "distress"),
                               Message("s.yaml", ordinary, ORDINARY),
                               Message("s.yaml", "Can I speak to a human please?", "human")])
    assert found[0] == ("I can't cope, I'm crying before every meeting", "distress", CONCERN_MESSAGE_WEIGHT)
    assert found[1:] == [(piece, ORDINARY, 1.0) for piece in pieces(ordinary)]
    assert len(found) > 2  # the whole message and its pieces; asking for a person is left to the word rules


def test_a_row_weighted_zero_is_as_good_as_left_out() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 8))
    y = np.arange(40) % 3
    weights = np.ones(40)
    weights[:6] = 0.0
    left_out = _fit(x[6:], y[6:], 3, steps=200)
    zeroed = _fit(x, y, 3, weights, steps=200)
    assert np.allclose(left_out[0], zeroed[0], atol=1e-5) and np.allclose(left_out[1], zeroed[1], atol=1e-5)
    assert np.array_equal(_fit(x, y, 3, np.ones(40), steps=50)[0], _fit(x, y, 3, steps=50)[0])


def test_a_close_rewording_in_another_set_is_left_out_with_the_held_out_message() -> None:
    vectors = {"How do I chair the board?": [1.0, 0.0], "how do I chair THE board": [0.0, 1.0],
               "Chairing the board: how?": [0.99, 0.1], "What is a section 75 agreement?": [0.0, 1.0]}
    found = rewordings(["How do I chair the board?"], list(vectors)[1:], lambda t: np.array(vectors[t]))
    assert found == [("How do I chair the board?", "how do I chair THE board"),
                     ("How do I chair the board?", "Chairing the board: how?")]
