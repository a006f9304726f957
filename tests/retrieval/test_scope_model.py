"""How much a question reads like what the guidance answers: a logistic regression fitted to the index's own
examples (bot.retrieval.scope_model), kept beside the index so it is fitted once per set of examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.retrieval.scope_model import ScopeModel


def _cluster(centre: int, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(0.0, 0.3, (n, 8)) + np.eye(8)[centre] * 2
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _unit(i: int) -> np.ndarray:
    return np.eye(8, dtype=np.float32)[i]


def test_a_question_like_the_guidances_examples_reads_as_in_scope_and_one_like_the_off_topic_ones_does_not() -> None:
    model = ScopeModel.fit(inside=_cluster(0, 60, 1), outside=_cluster(1, 20, 2))
    assert model.probability(_unit(0)) > 0.9
    assert model.probability(_unit(1)) < 0.1


def test_with_no_off_topic_examples_nothing_is_doubted() -> None:
    model = ScopeModel.fit(inside=_cluster(0, 10, 1), outside=np.zeros((0, 0), dtype=np.float32))
    assert model.probability(_unit(1)) == 1.0


def test_the_fitted_model_is_kept_and_fitted_again_only_when_the_examples_change(tmp_path: Path) -> None:
    path = tmp_path / "scope_model.npz"
    inside, outside = _cluster(0, 30, 1), _cluster(1, 10, 2)
    first = ScopeModel.cached(path, inside, outside)
    assert path.exists()
    saved = path.stat().st_mtime_ns
    again = ScopeModel.cached(path, inside, outside)
    assert path.stat().st_mtime_ns == saved  # read back, not fitted again
    assert again.probability(_unit(2)) == first.probability(_unit(2))
    moved = ScopeModel.cached(path, inside, _cluster(2, 10, 3))  # new examples of what is off topic
    assert moved.probability(_unit(2)) < first.probability(_unit(2))


def test_the_retriever_reads_the_guidances_own_questions_as_in_scope_and_a_near_miss_as_not(  # type: ignore[no-untyped-def]
        guidance_retriever) -> None:
    assert guidance_retriever.in_scope_probability("How do I build trust with the NHS?") > 0.5
    assert guidance_retriever.in_scope_probability(
        "How do I calculate the social return on investment for the grants we give to voluntary groups?") < 0.1


def test_an_ingest_fits_the_scope_model_so_the_first_question_does_not_wait(tmp_path: Path) -> None:
    from bot.retrieval.hybrid import SCOPE_MODEL_FILE
    from bot.retrieval.ingest import ingest
    from tests.retrieval.test_ingest import HashingEmbedder, _write

    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "alpha", "Partnership is a means and not an end. Leaders listen before they speak.")
    (folder / "off_topic.yaml").write_text('questions:\n  - "What is the quorum for full council?"\n')
    ingest([folder], tmp_path / "index", HashingEmbedder())
    assert (tmp_path / "index" / SCOPE_MODEL_FILE).exists()


def test_written_questions_are_also_learnt_asked_of_their_source_by_citation_or_title() -> None:
    from bot.retrieval.scope_model import asked_of_sources

    examples = asked_of_sources([
        ("The politics of partnership", 'Tizard (2008), "The politics of partnership"',
         ["too cosy with partners", "probity in partnership relationships", "a third question"]),
        ("", "", ["a passage with no named source teaches nothing about naming one"]),
    ], per_passage=2)
    assert examples == ['What does Tizard (2008), "The politics of partnership" say about this? too cosy with partners',
                        "In The politics of partnership: probity in partnership relationships"]


def test_a_question_that_names_the_guidances_own_source_reads_as_in_scope_and_one_naming_another_does_not(  # type: ignore[no-untyped-def]
        guidance_retriever) -> None:
    # Before the written questions were learnt asked of their sources, naming the source sank the first to 0.04.
    assert guidance_retriever.in_scope_probability("What does the 2008 Tizard article say about probity?") > 0.1
    assert guidance_retriever.in_scope_probability(
        "What does NHS England's 2022 guidance say about ICB membership?") < 0.07
