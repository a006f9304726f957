"""`coach eval facts` and `coach eval leaders`: what the answer text says, as a reader gets it.

`facts`: on each question set, does the answer text itself state the gold evidence (not only a cited passage)?
`leaders`: the leaders' own questions answered again and set beside the judged answers in evals/leaders_judged.yaml.
Both run the answerer as served (`coach ask`): offline, or with `--llm` through the configured model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.evaluate import eval_app
from bot.evaluation.gold import GoldSet

console = Console(highlight=False)
SETS = ("retrieval_gold.yaml", "decline_dev.yaml", "retrieval_holdout.yaml", "leaders_questions.yaml")
LlmOption = Annotated[bool, typer.Option("--llm/--offline", help="Through the configured model, or offline.")]


def _answerer(use_llm: bool) -> Callable[[str], object]:
    """Exactly what is served (the one composition root), with the model or offline."""
    from bot.cli.llm import eval_subject
    from bot.config import get_settings
    from bot.errors import ConfigurationError

    settings = get_settings()
    if use_llm and not settings.llm_configured:
        raise ConfigurationError("No model configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for other "
                                 "servers), or leave out --llm.")
    return eval_subject(settings, use_llm).answer


@eval_app.command("facts")
def facts(
    gold_files: Annotated[list[Path] | None, typer.Option(
        "--gold", help="A question set (gold format, or the leaders' set); repeat for several. Default: all four "
                       "in evals/.")] = None,
    use_llm: LlmOption = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N in-scope questions of each set.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Does the answer text state the fact asked for? Per set, beside what the cited passages hold."""
    from bot.evaluation.answer_facts import score_answers
    from bot.paths import evals_dir

    answer = _answerer(use_llm)
    reports = {}
    for path in gold_files or [evals_dir() / name for name in SETS]:
        gold = _gold(path)
        if limit:
            gold = gold.model_copy(update={"questions": gold.questions[:limit]})
        reports[path.name] = score_answers(answer, gold)  # type: ignore[arg-type]
    if as_json:
        print(json.dumps({name: asdict(r) for name, r in reports.items()}, indent=2))
        return
    table = Table("set", "fact in answer text", "fact in cited passages", "answered", "sentence from no gold passage",
                  "out of scope declined")
    for name, r in reports.items():
        table.add_row(name, f"{r.fact_in_answer:.3f}", f"{r.fact_in_citations:.3f}", f"{r.answered}/{r.questions}",
                      f"{r.with_off_gold_sentence:.1%}",
                      f"{r.declined_out_of_scope:.1%} of {r.out_of_scope}" if r.out_of_scope else "-")
    console.print(f"Answer-level measure ({'model' if use_llm else 'offline'})")
    console.print(table)
    for name, r in reports.items():
        if r.missing:
            console.print(f"  {name}: fact not in the answer text: {', '.join(r.missing)}")


def _gold(path: Path) -> GoldSet:
    import yaml

    from bot.evaluation.gold import load_gold
    from bot.evaluation.judged import as_gold, load_leaders

    head = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if isinstance(head, dict) and "out_of_scope" not in head:
        return as_gold(load_leaders(path))
    return load_gold(path)


@eval_app.command("leaders")
def leaders(
    use_llm: LlmOption = False,
    pending_file: Annotated[Path | None, typer.Option(
        "--write-pending", help="Write every answer in the judgements' format, the changed ones marked TO JUDGE, "
                                "to judge and copy over evals/leaders_judged.yaml.")] = None,
) -> None:
    """The leaders' questions answered again: judged yes / partly / no where the answer is unchanged; which
    answers changed since they were judged."""
    import yaml

    from bot.evaluation.judged import compare, load_judged, load_leaders, pending

    questions, judged = load_leaders(), load_judged()
    result = compare(_answerer(use_llm), questions, judged)  # type: ignore[arg-type]
    n = len(result.unchanged)
    console.print(f"{len(questions.questions)} leaders' questions; judged by {judged.judge} on {judged.judged_on} "
                  f"({judged.rubric})")
    if n:
        console.print(f"Unchanged since judged: {n}. Answers the question: yes {result.verdicts['yes']}, partly "
                      f"{result.verdicts['partly']}, no {result.verdicts['no']} ({result.yes_share:.0%} yes). "
                      f"With a sentence off the point: {result.with_off_point} ({result.with_off_point / n:.0%}). "
                      f"Reflective question relevant: {result.reflective_relevant} "
                      f"({result.reflective_relevant / n:.0%}).")
    if result.changed:
        console.print(f"Changed since judged (judge again): {', '.join(result.changed)}")
    if result.not_judged:
        console.print(f"Not judged yet: {', '.join(result.not_judged)}")
    if pending_file is not None:
        pending_file.write_text(yaml.safe_dump({
            "judge": judged.judge, "judged_on": judged.judged_on, "rubric": judged.rubric,
            "judgements": pending(questions, result, judged)}, sort_keys=False, allow_unicode=True, width=110),
            encoding="utf-8")
        console.print(f"Wrote {pending_file}")
