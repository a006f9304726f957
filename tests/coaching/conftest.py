from pathlib import Path

import pytest

from bot.coaching.exercises import ExerciseLibrary, load_exercises
from tests.storage.databases import database_url, db  # noqa: F401  (fixtures shared with tests/storage)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def library() -> ExerciseLibrary:
    return load_exercises(FIXTURES / "exercises")
