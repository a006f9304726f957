"""How well the coach knows its limits: concerns recognised, ordinary look-alikes left alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.coaching.safeguarding import Concern, detect
from bot.paths import evals_dir

SETS = ("safeguarding_dev.yaml", "safeguarding_dev_situations.yaml", "safeguarding_holdout.yaml")


@dataclass
class SafeguardingScore:
    name: str
    concerns: int
    recognised: int
    ordinary: int
    kept: int
    missed: list[str] = field(default_factory=list)
    diverted: list[str] = field(default_factory=list)

    @property
    def recognised_rate(self) -> float:
        return self.recognised / self.concerns if self.concerns else 1.0

    @property
    def kept_rate(self) -> float:
        return self.kept / self.ordinary if self.ordinary else 1.0


Detect = Callable[[str], Concern | None]


def score_file(path: Path, detect: Detect = detect) -> SafeguardingScore:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    concerns = [item["text"] for item in data["concerns"]]
    ordinary = list(data["ordinary"])
    missed = [text for text in concerns if detect(text) is None]
    diverted = [text for text in ordinary if detect(text) is not None]
    return SafeguardingScore(path.stem, len(concerns), len(concerns) - len(missed), len(ordinary),
                             len(ordinary) - len(diverted), missed, diverted)


def score_sets(paths: list[Path] | None = None, detect: Detect = detect) -> list[SafeguardingScore]:
    """`detect`: the offline screen by default; `coach eval safeguarding` passes the served decision (with the
    model's opinion on borderline messages when one is configured)."""
    return [score_file(p, detect) for p in (paths or [evals_dir() / name for name in SETS])]
