"""The safeguarding screen is ready before anyone writes: fitted by `coach ingest`, built once per process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.coaching import safeguarding_semantic
from bot.coaching.safeguarding import names_a_concern
from bot.config import get_settings


def test_messages_arriving_together_at_a_start_share_one_screen() -> None:
    safeguarding_semantic._screens.clear()
    with ThreadPoolExecutor(max_workers=6) as pool:
        screens = list(pool.map(lambda _: safeguarding_semantic.default_screen(names_a_concern), range(6)))
    assert screens[0] is not None
    assert all(screen is screens[0] for screen in screens)


def test_ingest_fits_the_screen_so_no_worker_has_to(tmp_path: Path) -> None:
    cache = tmp_path / "models"
    shared = get_settings().model_cache_dir
    layer = safeguarding_semantic.default_screen(names_a_concern)
    assert layer is not None
    served = layer[0].model_name
    # the embedding model, the served reader and the exemplars' vectors are reused (training the reader again
    # would take minutes); the classifier itself must be fitted by ingest
    shutil.copytree(shared, cache, ignore=lambda _, names: [
        n for n in names if n.startswith("safeguarding-screen-")
        or (n.startswith("safeguarding-reader-") and not n.startswith(served))])
    assert not list(cache.glob("safeguarding-screen-*.npz"))
    result = subprocess.run([sys.executable, "-m", "bot", "ingest"], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "COACH_DATA_DIR": str(tmp_path / "data"),
                                 "COACH_MODEL_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert len(list(cache.glob("safeguarding-screen-*.npz"))) == 1
    assert "safeguarding screen" not in result.stdout  # no warning: the similarity layer started
