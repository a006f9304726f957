"""One app worker's weekly run, as its own process: `python -m tests.slack.weekly_worker DB API EXERCISES AT`.

Waits until the wall-clock time AT so that several workers run at the same moment, then prints what it sent.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    database_url, api_url, exercises, start_at = sys.argv[1:5]
    from bot.coaching.exercises import load_exercises
    from bot.config import Settings
    from bot.slack.client import build_client
    from bot.slack.installations import OneWorkspace
    from bot.slack.services import CoachingServices
    from bot.slack.weekly import run_once
    from bot.storage import connect

    settings = Settings(slack_api_url=api_url)
    coaching = CoachingServices(db=connect(database_url), library=load_exercises(Path(exercises)), settings=settings)
    client = build_client(settings, "xoxb-test")
    time.sleep(max(0.0, float(start_at) - time.time()))
    report = run_once(coaching, OneWorkspace(client))
    print(json.dumps({"sent": report.sent, "skipped": report.skipped, "failed": report.failed}))


if __name__ == "__main__":
    main()
