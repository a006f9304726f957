"""A serving worker's weekly loop as its own process: `python -m tests.deployment.scheduler_worker DB API`.

The real WeeklyLoop with a short lease (2 s) and tick (0.2 s); logs to stdout; runs until killed."""

from __future__ import annotations

import logging
import sys
import time


def main() -> None:
    database_url, api_url = sys.argv[1:3]
    from bot.coaching.exercises import exercise_library
    from bot.config import Settings
    from bot.observability import logs
    from bot.slack.client import build_client
    from bot.slack.installations import OneWorkspace
    from bot.slack.services import CoachingServices
    from bot.slack.weekly import WeeklyLoop
    from bot.storage import connect

    logs.configure("INFO", "json", sys.stdout)
    logging.getLogger("bot").info("worker started")
    settings = Settings(slack_api_url=api_url)
    coaching = CoachingServices(db=connect(database_url), library=exercise_library(), settings=settings)
    workspace = OneWorkspace(build_client(settings, "xoxb-test"))
    WeeklyLoop(coaching, workspace, interval=0.2, tick=0.2, lease_seconds=2).start()
    while True:
        time.sleep(1)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
