"""A realistic synthetic programme to try the coach with: cohorts that start at different times, people who join
late or drop out, ratings that grow slowly (one cohort's "Letting go" falls in the last closed quarter), quick
check-ins between full self-assessments, and reflective exercises finished, abandoned or under way.

Deterministic: the same seed and end date give the same programme. Every demo person's id starts with
DEMO_PREFIX ("demo:"), so demo data is recognised and removed (`coach demo-data --remove`) without touching
anyone real; a database that holds real people is refused unless forced.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.coaching.attributes import attributes
from bot.coaching.trends import closed_period_bounds
from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.coaching.exercises import ExerciseLibrary
    from bot.storage.uow import SqlUnitOfWork

DEMO_PREFIX = "demo:"
COHORTS = ("Kent and Medway", "Greater Manchester", "North East", "West Midlands", "South West", "London Boroughs",
           "East of England", "Yorkshire and Humber", "Thames Valley", "Cumbria")
DECLINING = ("South West", "letting-go")  # a real-looking decline, for highlights to find
# Where people start on each attribute (mean self-rating): relationships come easier than letting go.
START = {"shared-vision": 3.1, "communicating-vision": 2.9, "listening": 3.3, "patient-understanding": 2.8,
         "understanding-partners": 2.9, "building-relationships": 3.4, "challenging-mentality": 2.6,
         "risk-management": 2.5, "letting-go": 2.3}
ANSWERS = ("Met the ICB lead to agree what each of us can stop doing.",
           "Asked the voluntary sector forum what they need from the council first.",
           "Let the police lead on the community safety plan and kept to the funding.",
           "Mapped who holds the budget for the shared outcome: it is not us.",
           "Said no to chairing another board so the district can step up.",
           "Listened more than I spoke at the partnership board.",
           "Agreed a joint risk register with the housing association.")
LIMITS = {"people": (10, 20_000), "months": (3, 60), "cohorts": (1, len(COHORTS))}


@dataclass(frozen=True)
class DemoPerson:
    id: str
    cohort: str
    joined: datetime


@dataclass(frozen=True)
class DemoSubmission:
    user_id: str
    when: datetime
    cohort: str  # the person's cohort when they rated
    ratings: dict[str, int]
    checkin: bool


@dataclass(frozen=True)
class DemoSession:
    user_id: str
    exercise_id: str
    started: datetime
    status: str  # finished, abandoned or active
    answers: tuple[tuple[str, str, str | None, int | None], ...]  # (step id, prompt, answer, rating)


@dataclass(frozen=True)
class DemoProgramme:
    people: tuple[DemoPerson, ...]
    submissions: tuple[DemoSubmission, ...]
    sessions: tuple[DemoSession, ...]
    managers: tuple[tuple[str, tuple[str, ...]], ...]  # (id, cohorts it is limited to; none: the whole programme)


def generate(library: ExerciseLibrary, *, people: int = 300, months: int = 18, cohorts: int = 6, seed: int = 1,
             until: date | None = None) -> DemoProgramme:
    for name, value in (("people", people), ("months", months), ("cohorts", cohorts)):
        low, high = LIMITS[name]
        if not low <= value <= high:
            raise InvalidInputError(f"--{name} must be between {low} and {high}.", field=name)
    rng = random.Random(seed)
    end = datetime.combine(until or datetime.now(UTC).date(), time(0), tzinfo=UTC)
    start = end - timedelta(days=round(months * 30.44))
    labels = COHORTS[:cohorts]
    decline_from = closed_period_bounds(end, "quarter", 1)[0]  # the last closed quarter
    ids = list(attributes().ids)
    sizes = _sizes(rng, people, len(labels))
    found_people, submissions, sessions = [], [], []
    number = 0
    for index, (cohort, size) in enumerate(zip(labels, sizes, strict=True)):
        opens = start + timedelta(days=round(index * months * 15.2 / max(1, len(labels))))
        slopes = {a: rng.uniform(0.015, 0.06) for a in ids}  # growth per month, per cohort and attribute
        for _ in range(size):
            number += 1
            person = f"{DEMO_PREFIX}{_slug(cohort)}-{number:05d}"
            joined = opens + timedelta(days=rng.randint(0, 45) if rng.random() < 0.9 else rng.randint(46, 180))
            if joined >= end:
                continue
            left = _drop_out(rng, joined, end)
            offset = rng.gauss(0, 0.45)
            own = {a: START.get(a, 2.8) + offset + rng.gauss(0, 0.3) for a in ids}
            moves_to = labels[rng.randrange(len(labels))] if rng.random() < 0.03 and len(labels) > 1 else None
            moved_at = joined + (left - joined) / 2
            found_people.append(DemoPerson(person, moves_to or cohort, joined))
            when, first = joined, True
            while when < left:
                current = moves_to if moves_to and when >= moved_at else cohort
                checkin = not first and rng.random() < 0.3
                rated = rng.sample(ids, rng.randint(1, 3)) if checkin else ids
                monthly = (when - joined).days / 30.44
                values = {}
                for a in rated:
                    mean = own[a] + min(1.5, slopes[a] * monthly)
                    if (current, a) == DECLINING and when >= decline_from:
                        mean -= 0.9
                    values[a] = max(1, min(5, round(mean + rng.gauss(0, 0.45))))
                submissions.append(DemoSubmission(person, _during_day(rng, when), current, values, checkin))
                when += timedelta(days=rng.randint(18, 35) if rng.random() < 0.3 else rng.randint(40, 80))
                first = False
            sessions += _exercises(rng, library, person, joined, left, end)
    managers = ((f"{DEMO_PREFIX}manager-programme", ()), (f"{DEMO_PREFIX}manager-{_slug(labels[0])}", (labels[0],)))
    return DemoProgramme(tuple(found_people), tuple(submissions), tuple(sessions), managers)


def _sizes(rng: random.Random, people: int, cohorts: int) -> list[int]:
    """Uneven cohorts; with several, the last is small (a group the trends must hide)."""
    if cohorts == 1:
        return [people]
    small = min(8, people // cohorts)
    weights = [rng.uniform(0.6, 1.4) for _ in range(cohorts - 1)]
    rest = people - small
    sizes = [int(rest * w / sum(weights)) for w in weights]
    sizes[0] += rest - sum(sizes)
    return [*sizes, small]


def _drop_out(rng: random.Random, joined: datetime, end: datetime) -> datetime:
    """About 2.5% a month stop taking part."""
    month = joined
    while month < end:
        if rng.random() < 0.025:
            return month
        month += timedelta(days=30)
    return end


def _exercises(rng: random.Random, library: ExerciseLibrary, person: str, joined: datetime, left: datetime,
               end: datetime) -> list[DemoSession]:
    found = []
    month = joined
    ids = list(library.ids)
    while ids and month < left:
        if rng.random() < 0.25:
            exercise = library.get(ids[rng.randrange(len(ids))])
            started = _during_day(rng, month + timedelta(days=rng.randint(0, 29)))
            if started < end:
                roll = rng.random()
                status = "active" if end - started < timedelta(days=14) and roll < 0.5 else \
                    "finished" if roll < 0.8 else "abandoned"
                steps = exercise.steps if status == "finished" else exercise.steps[:rng.randint(1, 2)]
                answers = tuple((s.id, s.prompt, None if s.kind == "rating" else ANSWERS[rng.randrange(len(ANSWERS))],
                                 rng.randint(2, 5) if s.kind == "rating" else None) for s in steps)
                found.append(DemoSession(person, exercise.id, started, status, answers))
        month += timedelta(days=30)
    return found


def _during_day(rng: random.Random, day: datetime) -> datetime:
    return day.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0, microsecond=0)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


@dataclass(frozen=True)
class DemoReport:
    people: int
    submissions: int
    ratings: int
    sessions: int
    removed: dict[str, int]


def load_demo(uow: SqlUnitOfWork, programme: DemoProgramme, *, actor: str, force: bool = False,
              now: datetime | None = None) -> DemoReport:
    """Replace any demo data with `programme`, in one transaction. Refused (nothing written) when the database
    holds people who are not demo data, unless `force`."""
    from bot.coaching.roles import grant_manager, operator

    now = now or datetime.now(UTC)
    with uow:
        real = uow.demo.real_people(DEMO_PREFIX)
        if real and not force:
            raise InvalidInputError(
                f"This database holds {real} people who are not demo data: demo ratings would be mixed into their "
                "trends. Point COACH_DATA_DIR or COACH_DATABASE_URL at an empty database, or add --force.",
                field="force")
        removed = uow.demo.remove(DEMO_PREFIX)
        uow.demo.add(programme, now)
        uow.commit()
    for manager, cohorts in programme.managers:
        grant_manager(uow, operator(actor), manager, cohorts, now=now)
    return DemoReport(len(programme.people), len(programme.submissions),
                      sum(len(s.ratings) for s in programme.submissions), len(programme.sessions), removed)


def remove_demo(uow: SqlUnitOfWork) -> dict[str, int]:
    """Delete every demo person and what they hold; published periods only demo people rated in go too."""
    with uow:
        removed = uow.demo.remove(DEMO_PREFIX)
        uow.commit()
    return removed
