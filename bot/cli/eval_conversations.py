"""`coach eval conversations`: the scope decision of every turn of the scripted conversations."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.evaluate import eval_app

console = Console(highlight=False)


@eval_app.command("conversations")
def conversations(
    use_llm: Annotated[bool, typer.Option("--llm/--offline", help="Through the configured model, or offline.")] = False,
    script: Annotated[Path | None, typer.Option(
        "--set", help="A conversation set in the format of evals/conversations.yaml (default: that file).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Play the scripted conversations through the served answerer: answered, follow-up or declined, per turn."""
    from bot.cli.llm import eval_subject
    from bot.config import get_settings
    from bot.errors import ConfigurationError
    from bot.evaluation.conversations import evaluate_conversations, load_conversations

    settings = get_settings()
    if use_llm and not settings.llm_configured:
        raise ConfigurationError("No model configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for other "
                                 "servers), or run `coach eval conversations --offline`.")
    scripts = load_conversations(script)
    report = evaluate_conversations(eval_subject(settings, use_llm), scripts, run=uuid.uuid4().hex[:8])
    if as_json:
        print(json.dumps({**asdict(report), "accuracy": report.accuracy}, indent=2))
        return
    table = Table("expected decision", "right", "of", "share")
    for expected, (right, of) in sorted(report.by_expected.items()):
        table.add_row(expected, str(right), str(of), f"{right / of:.1%}")
    console.print(f"Scripted conversations ({'llm' if use_llm else 'offline'}): {report.conversations} "
                  f"conversations, {report.turns} turns, scope decisions right {report.accuracy:.1%} "
                  f"({report.right}/{report.turns})")
    console.print(table)
    for r in report.wrong:
        console.print(f"  {r.conversation} turn {r.turn}: expected {r.expected}, got {r.got}: {r.ask}")
    if report.wrong:
        raise typer.Exit(1)
