"""`coach eval ...`: measured quality, printed with the figures that matter."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli import app

eval_app = typer.Typer(help="Evaluate retrieval and answers against the gold sets in evals/.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")
console = Console(highlight=False)


@eval_app.command("retrieval")
def retrieval(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    gold_file: Annotated[Path | None, typer.Option(
        "--gold", help="A gold set in the format of evals/retrieval_gold.yaml (default: that file).")] = None,
) -> None:
    """Recall@1/3/5 and MRR@5, ours against the naive LangChain peer, and decline rates."""
    from bot.answering.answerability import asks_for_fact
    from bot.answering.coverage import DEFAULT_RULE
    from bot.bootstrap import retriever
    from bot.config import get_settings
    from bot.evaluation.gold import load_gold
    from bot.evaluation.retrieval import NaivePeer, score_coverage, score_retrieval
    from bot.paths import knowledge_dir

    gold = load_gold(gold_file)
    ours = retriever()

    def search(question: str, k: int) -> list[tuple[str, float]]:
        return [(h.text, h.similarity) for h in ours.search(question, k)]

    settings = get_settings()
    peer = NaivePeer([settings.knowledge_dir or knowledge_dir()], ours.embedder)
    results = [score_retrieval("hybrid (ours)", search, gold), score_retrieval("naive peer", peer.search, gold)]

    def measure(question: str) -> tuple[float, float, float, bool]:
        return (max((h.similarity for h in ours.search(question, 5)), default=0.0),
                ours.off_topic_similarity(question), ours.in_scope_probability(question), asks_for_fact(question))

    coverage = score_coverage(measure, gold, DEFAULT_RULE)
    if as_json:
        print(json.dumps({"retrieval": [r.__dict__ for r in results], "coverage": dataclasses.asdict(coverage),
                          "questions": len(gold.questions), "out_of_scope": len(gold.out_of_scope),
                          "chunks": {"ours": len(ours), "peer": len(peer.chunks)}}, indent=2))
        return
    table = Table("retriever", "passages", "recall@1", "recall@3", "recall@5", "MRR@5", "missed in top 5")
    for r, n in zip(results, (len(ours), len(peer.chunks)), strict=True):
        table.add_row(r.name, str(n), *(f"{r.recall[k]:.3f}" for k in (1, 3, 5)), f"{r.mrr5:.3f}", str(len(r.misses)))
    console.print(f"{len(gold.questions)} in-scope and {len(gold.out_of_scope)} out-of-scope questions")
    console.print(table)
    if results[0].misses:
        console.print(f"Missed by ours: {', '.join(results[0].misses)}")
    console.print(
        f"Coverage (threshold {coverage.rule.threshold:.2f}, off-topic margin {coverage.rule.margin:.2f}, read as in "
        f"scope ≥ {coverage.rule.in_scope:.2f}, a question after a fact ≥ {coverage.rule.fact_in_scope:.2f}, unless "
        f"the guidance is ≥ {coverage.rule.sure:.2f} close): "
        f"in-scope answered {coverage.in_scope_answered:.1%}, out-of-scope declined "
        f"{coverage.out_of_scope_declined:.1%} (best on this set: threshold {coverage.best_rule.threshold:.2f}, "
        f"margin {coverage.best_rule.margin:.2f})"
    )
    if coverage.wrongly_declined or coverage.wrongly_answered:
        console.print(f"  wrongly declined: {', '.join(coverage.wrongly_declined) or '-'}; "
                      f"wrongly answered: {', '.join(coverage.wrongly_answered) or '-'}")
