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


@eval_app.command("safeguarding-generalisation")
def safeguarding_generalisation(
    names: Annotated[list[str] | None, typer.Argument(
        help="Held-out set file names in evals/ (default: every set evals/safeguarding_exemplar_provenance.yaml "
             "lists).")] = None,
) -> None:
    """Leave one set out: each independent set scored by the offline screen fitted without the exemplars added
    after its misses were read, its own messages and their close rewordings in other sets. The pooled figure is
    the estimate for a set nobody has seen."""
    from bot.evaluation.safeguarding_generalisation import leave_one_set_out, pooled

    held = leave_one_set_out(names)
    for item in held:
        score = item.score
        console.print(f"{score.name} (without {item.left_out} exemplars, its {item.messages_left_out} messages and "
                      f"{len(item.rewordings)} close rewordings in other sets): recognised {score.recognised}/"
                      f"{score.concerns} ({score.recognised_rate:.1%}), ordinary not diverted "
                      f"{score.kept}/{score.ordinary} ({score.kept_rate:.1%})")
    total = pooled(held)
    console.print(f"pooled: recognised {total.recognised}/{total.concerns} ({total.recognised_rate:.1%}), "
                  f"ordinary not diverted {total.kept}/{total.ordinary} ({total.kept_rate:.1%})")
