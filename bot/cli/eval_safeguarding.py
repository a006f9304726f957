"""`coach eval safeguarding`: concerns recognised and ordinary messages left alone, per question set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.evaluate import console, eval_app


@eval_app.command("safeguarding")
def safeguarding(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Sets in the format of evals/safeguarding_dev.yaml (default: the dev and held-out sets).")] = None,
) -> None:
    """Distress, bullying, safeguarding, whistleblowing and HR messages handed to people, not coached."""
    from bot.bootstrap import build_safeguarding
    from bot.config import get_settings
    from bot.evaluation.safeguarding import score_sets

    screen = build_safeguarding(get_settings())  # what is served: the model's opinion too, when one is configured
    console.print("With the configured model's opinion on borderline messages." if screen.uses_model
                  else "Offline screen (no model configured).")
    for score in score_sets(files, screen.detect):
        console.print(f"{score.name}: recognised {score.recognised}/{score.concerns} ({score.recognised_rate:.1%}), "
                      f"ordinary not diverted {score.kept}/{score.ordinary} ({score.kept_rate:.1%})")
        for text in score.missed:
            console.print(f"  missed: {text}")
        for text in score.diverted:
            console.print(f"  diverted: {text}")
