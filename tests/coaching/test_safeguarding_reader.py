"""The safeguarding screen reads with all-MiniLM-L6-v2 fine-tuned on its own rows: trained once per set of rows, in a
child process, kept in the model cache and served through ONNX Runtime; the frozen model if it cannot be had."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.coaching import safeguarding_semantic
from bot.coaching.safeguarding import names_a_concern, search_embedding
from bot.coaching.safeguarding_reader import (
    ReaderUnavailableError,
    Rows,
    class_weights,
    ensure_reader,
    load_reader,
    reader_dir,
)

ROWS = Rows(("My manager shouts at me in front of the team every day", "When is the next board meeting?"),
            ("bullying", "ordinary"), (1.0, 1.0))


@pytest.mark.parametrize("changed", [
    Rows(("My manager shouts at me in front of the team every day", "When is the next board meeting??"),
         ROWS.labels, ROWS.weights),
    Rows(ROWS.texts, ("distress", "ordinary"), ROWS.weights),
    Rows(ROWS.texts, ROWS.labels, (0.15, 1.0)),
])
def test_any_change_to_the_rows_means_another_reader(changed: Rows, tmp_path: Path) -> None:
    assert reader_dir(tmp_path, changed) != reader_dir(tmp_path, ROWS)
    same = Rows(tuple(ROWS.texts), tuple(ROWS.labels), tuple(ROWS.weights))
    assert reader_dir(tmp_path, same) == reader_dir(tmp_path, ROWS)


def test_rows_without_a_label_or_weight_for_every_text_are_refused() -> None:
    with pytest.raises(ValueError, match="one label and one weight per text"):
        Rows(("a", "b"), ("ordinary",), (1.0, 1.0))


def test_ordinary_is_the_first_class_as_the_screen_reads_it() -> None:
    assert Rows(("a", "b", "c"), ("whistleblowing", "ordinary", "bullying"), (1, 1, 1)).classes() == [
        "ordinary", "bullying", "whistleblowing"]


def test_a_rarer_class_weighs_more_but_only_by_the_square_root_of_its_rarity() -> None:
    y = np.array([0] * 9 + [1])
    weights = class_weights(y, np.ones(10), 2)
    assert weights.mean() == pytest.approx(1.0)
    # class 1 is nine times rarer: each of its rows weighs three times one of class 0
    assert weights[-1] / weights[0] == pytest.approx(3.0)


def test_a_rows_own_weight_counts_in_its_classs_size_and_in_its_own_weight() -> None:
    y = np.array([0, 0, 1, 1])
    weights = class_weights(y, np.array([1.0, 1.0, 0.25, 0.25]), 2)
    # class 1 counts as half a row (two at 0.25): twice as rare, so sqrt(4) = 2 times the rarity, times 0.25
    assert weights[2] / weights[0] == pytest.approx(0.25 * 2.0)


def test_a_cache_that_cannot_be_written_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    blocked = tmp_path / "models"
    blocked.write_text("a file where the cache directory should be")
    with pytest.raises(ReaderUnavailableError):
        ensure_reader(blocked, ROWS)


@pytest.mark.slow
def test_a_reader_is_trained_once_then_loaded_from_the_cache_and_gives_unit_vectors(tmp_path: Path) -> None:
    rows = Rows(tuple(f"{text} ({n})" for n in range(20) for text in ROWS.texts), ROWS.labels * 20, ROWS.weights * 20)
    made = ensure_reader(tmp_path, rows)
    assert made == reader_dir(tmp_path, rows)
    trained_at = (made / "model.safetensors").stat().st_mtime_ns
    reader = load_reader(tmp_path, rows)
    assert (made / "model.safetensors").stat().st_mtime_ns == trained_at  # not trained again
    assert reader.name == made.name
    vectors = reader.embed(["My manager shouts at me", "The board meets on Tuesday"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert not list(tmp_path.glob(".safeguarding-reader-*"))  # no staging directory left behind


@pytest.mark.slow
def test_the_served_screen_reads_with_its_reader_and_never_with_the_searchs_vectors() -> None:
    screen, _ = safeguarding_semantic.default_screen(names_a_concern) or pytest.fail("no similarity layer")
    assert screen.model_name.startswith("safeguarding-reader-")

    class Search:
        embedder = type("Frozen", (), {"name": "sentence-transformers/all-MiniLM-L6-v2"})()

        def embed_query(self, text: str) -> np.ndarray:
            raise AssertionError("the search model's vectors are not the reader's")

    assert search_embedding(Search()) is None
