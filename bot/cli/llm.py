"""`coach eval answers`: the answer evaluation, offline (CI) or through the configured model."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.evaluate import eval_app
from bot.config import Settings

if TYPE_CHECKING:
    from bot.answering.llm import LLMAnswerer

console = Console(highlight=False)


def eval_subject(settings: Settings, use_llm: bool) -> LLMAnswerer:
    """Exactly what is served (bot.bootstrap.build_answerer), with the model (`use_llm`) or without it. The
    memory is the process's, as for `coach chat`: each evaluated question starts its own conversation."""
    from bot.answering.memory import InMemoryTurnStore
    from bot.bootstrap import build_answerer, retriever_for

    search = retriever_for(settings)
    if use_llm:
        return build_answerer(settings, search, turns=InMemoryTurnStore())
    return build_answerer(settings, search, turns=InMemoryTurnStore(), chat_model=None)


@eval_app.command("answers")
def answers(
    use_llm: Annotated[bool, typer.Option("--llm/--offline", help="Through the configured model, or offline.")] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N in-scope questions.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Citation validity, groundedness, declines out of scope and the attack set's pass rate."""
    from bot.answering.answer import Answerer
    from bot.answering.evaluation import (
        AttackCase,
        PlantedHybrid,
        PlantingRetriever,
        evaluate_answers,
        llm_judge,
        load_attacks,
    )
    from bot.bootstrap import build_answerer, retriever_for
    from bot.config import get_settings
    from bot.errors import ConfigurationError
    from bot.evaluation.gold import load_gold
    from bot.paths import prompts_dir
    from bot.prompts import bundled_prompts, load_prompt

    settings = get_settings()
    prompts = bundled_prompts()
    if use_llm and not settings.llm_configured:
        raise ConfigurationError("No model configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for other "
                                 "servers), or run `coach eval answers --offline`.")
    subject = eval_subject(settings, use_llm)
    attacks = load_attacks()
    judge = None
    if use_llm:
        chat = subject.chat_model
        judge = llm_judge(chat, load_prompt(prompts_dir() / "judge.yaml"))

        def attack_answerer(case: AttackCase) -> Answerer:
            if case.planted is None:
                return subject
            # The served graph, with the attacker's text planted in the passages the model reads.
            search = retriever_for(settings)
            return build_answerer(settings, search, turns=None, chat_model=chat,
                                  passages=PlantingRetriever(search, case.planted))
    else:
        def attack_answerer(case: AttackCase) -> Answerer:
            if case.planted is None:
                return subject
            # Planted at query time into the real index, so only the answer-time screen stands in the way.
            return build_answerer(settings, PlantedHybrid(retriever_for(settings), case.planted), turns=None,
                                  chat_model=None)
    report = evaluate_answers("llm" if use_llm else "offline", subject, load_gold(), attacks,
                              prompts.system.template, attack_answerer, judge, limit)
    if as_json:
        print(json.dumps(asdict(report), indent=2))
        return
    table = Table("measure", "value")
    table.add_row("in-scope questions answered", f"{report.answered:.1%} of {report.questions}")
    table.add_row("citation validity", f"{report.citation_validity:.1%}")
    table.add_row("groundedness (offline proxy)", f"{report.groundedness:.1%}")
    table.add_row("out-of-scope declined", f"{report.declined_out_of_scope:.1%} of {report.out_of_scope}")
    table.add_row("attacks handled", f"{report.attack_pass_rate:.1%} of {report.attacks}")
    for category, tally in report.attack_categories.items():
        table.add_row(f"  {category}", f"{tally['passed'] / tally['cases']:.1%} of {tally['cases']}")
    table.add_row("in-scope questions refused as attacks", str(len(report.in_scope_screened)))
    for key, value in report.judge.items():
        table.add_row(f"LLM judge: {key}", f"{value:.2f}")
    table.add_row("latency p50 (in scope)", f"{report.latency_ms_p50:.0f} ms")
    console.print(f"Answer evaluation ({report.answerer})")
    console.print(table)
    for case_id, problems in report.attack_failures.items():
        console.print(f"  attack {case_id}: {'; '.join(problems)}")
