"""A scheduler process for the multi-process test: run_due once, append each delivery to a file."""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.coaching.exercises import load_exercises
from bot.coaching.scheduler import WeeklyPrompt, run_due
from bot.storage import connect


def main(url: str, now: str, out: str, exercises: str) -> None:
    db = connect(url)
    library = load_exercises(Path(exercises))

    def deliver(prompt: WeeklyPrompt) -> None:
        time.sleep(0.002)  # widen the window in which the other process could double-send
        with open(out, "a", encoding="utf-8") as handle:  # O_APPEND: whole lines from both processes
            handle.write(f"{os.getpid()} {prompt.user_id} {prompt.iso_week}\n")

    run_due(db.uow(), deliver, library, datetime.fromisoformat(now))
    db.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
