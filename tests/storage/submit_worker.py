"""A process that submits full self-assessments as fast as it can, reporting each on stdout (to be killed)."""

from __future__ import annotations

import sys

from bot.coaching.assessments import submit_assessment
from bot.coaching.attributes import attributes
from bot.storage import connect


def main(url: str) -> None:
    db = connect(url)
    ratings = dict.fromkeys(attributes().ids, 3)
    i = 0
    while True:
        submit_assessment(db.uow(), f"u{i % 7}", ratings, notes=f"submission {i}", submission_key=f"k{i}")
        print(i, flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1])
