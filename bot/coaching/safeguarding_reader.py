"""The safeguarding screen's reader: all-MiniLM-L6-v2 fine-tuned on the rows the screen is fitted on.

The frozen model places sentences by topic, so "my manager shouts at me in front of the team" sits among
sentences about managers and teams, and "the board is bullying the districts into line" beside real bullying.
One epoch of training on the screen's own rows (the exemplar bank, the evaluation sets in TRAINING_SETS, the
guidance's questions) with a classification head moves the sentences apart by what they disclose. The head
is thrown away: the screen fits its regression and nearest-exemplar reading on the tuned vectors as before.

Training needs PyTorch, which the serving path never loads, so it runs in a child process
(`python -m bot.coaching.safeguarding_reader ROWS.json TARGET`), once per set of rows: the model is kept in
the model cache under a digest of the rows, exported to ONNX like the search model and served by ONNX Runtime.
`coach ingest` builds it (about two minutes on two cores), so no worker waits for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# Bump when fine_tune changes what it makes: readers built before are then retrained.
READER_VERSION = 1
ORDINARY = "ordinary"  # the class of everything that is no concern (safeguarding_semantic.ORDINARY)
TRAIN_TIMEOUT = 1800  # seconds; about 135 s on a quiet 2-core machine, far more beside a busy test run
# The settings below were chosen leaving one set out (session 23, `coach eval safeguarding-generalisation`):
# one epoch recognised more held-out concerns than the frozen model with no more ordinary messages diverted;
# more epochs learnt the sets' own phrasings and generalised less.
EPOCHS = 1
BATCH = 32
LEARNING_RATE = 2e-5  # the transformer's: small, so one epoch shifts what it knows rather than replacing it
HEAD_LEARNING_RATE = 1e-2  # the classification head starts from nothing and is thrown away afterwards
SCALE = 20.0  # the head reads unit vectors (as the screen does); scaled so its logits can be confident
MAX_TOKENS = 128  # the messages screened are short; the base model's 256 only slows training
SEED = 0


class ReaderUnavailableError(RuntimeError):
    """The reader is missing and could not be trained (the screen falls back to the frozen model)."""


@dataclass(frozen=True)
class Rows:
    """What the screen is fitted on: texts, their classes (a concern kind or ordinary) and sample weights."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if not len(self.texts) == len(self.labels) == len(self.weights):
            raise ValueError("Rows need one label and one weight per text")

    def digest(self) -> str:
        key = json.dumps([READER_VERSION, self.texts, self.labels, self.weights])
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def classes(self) -> list[str]:
        """Ordinary first, then the concern kinds in order: the screen's columns."""
        return sorted(set(self.labels), key=lambda k: (k != ORDINARY, k))


def class_weights(y: np.ndarray, given: np.ndarray, classes: int) -> np.ndarray:
    """Each row's weight in the loss: its own (`given`) times the square root of its class's rarity (the
    class's rows counted at their weights), scaled to a mean of 1. Fully balanced classes (a few hundred
    concern rows against thousands of ordinary ones) pushed short, vague clauses into the concern classes."""
    rarity = (given.sum() / (classes * np.bincount(y, weights=given, minlength=classes))) ** 0.5
    row = rarity[y] * given
    return row / row.mean()


def reader_dir(cache_dir: Path, rows: Rows) -> Path:
    return cache_dir / f"safeguarding-reader-{rows.digest()}"


def ensure_reader(cache_dir: Path, rows: Rows) -> Path:
    """The fine-tuned model for these rows, trained first (in a child process) if it is not there yet. A file
    lock keeps workers that start together from training it twice."""
    from filelock import FileLock, Timeout

    target = reader_dir(cache_dir, rows)
    if (target / "model.safetensors").exists():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(str(target) + ".lock", timeout=TRAIN_TIMEOUT):
            if (target / "model.safetensors").exists():  # another process finished it while we waited
                return target
            log.warning("Fine-tuning the safeguarding reader on %d rows (once per set of rows, a few minutes)",
                        len(rows.texts))
            with tempfile.TemporaryDirectory() as work:
                spec = Path(work) / "rows.json"
                spec.write_text(json.dumps({"texts": rows.texts, "labels": rows.labels, "weights": rows.weights}))
                done = subprocess.run([sys.executable, "-m", __name__, str(spec), str(target)],
                                      capture_output=True, text=True, timeout=TRAIN_TIMEOUT, check=False)
    except (OSError, Timeout, subprocess.TimeoutExpired) as exc:
        raise ReaderUnavailableError(f"{type(exc).__name__}: {exc}") from exc
    if done.returncode != 0 or not (target / "model.safetensors").exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ReaderUnavailableError(f"training failed ({last})")
    return target


class Reader:
    """The fine-tuned model served like the search model: ONNX Runtime, no PyTorch."""

    def __init__(self, source: Path, threads: int = 1) -> None:
        from bot.retrieval.onnx_embedder import OnnxEmbedder, ensure_onnx_model

        self.name = source.name  # the screen's caches are keyed by it: each reader has its own
        # exported into the reader's own folder, so removing a reader removes all of it
        self._onnx = OnnxEmbedder(ensure_onnx_model(source, source), source, threads=threads)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._onnx.embed(texts)


def load_reader(cache_dir: Path, rows: Rows, threads: int = 1) -> Reader:
    """The reader for these rows, trained and exported first if needed."""
    try:
        return Reader(ensure_reader(cache_dir, rows), threads=threads)
    except ReaderUnavailableError:
        raise
    except Exception as exc:  # an export that failed, a file onnxruntime cannot read: fall back, say why
        raise ReaderUnavailableError(f"{type(exc).__name__}: {exc}") from exc


def fine_tune(rows: Rows, target: Path) -> None:
    """Train and save the reader into `target`, whole or not at all (a staging directory renamed into place)."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(name, value)
    import torch
    from sentence_transformers import SentenceTransformer

    from bot.retrieval.onnx_embedder import packaged_model_dir

    torch.manual_seed(SEED)
    torch.set_num_threads(os.cpu_count() or 1)  # a child of its own: every core is its share
    model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
    model.max_seq_length = MAX_TOKENS
    classes = rows.classes()
    y = np.array([classes.index(label) for label in rows.labels])
    weight = torch.tensor(class_weights(y, np.array(rows.weights, dtype=np.float64), len(classes)),
                          dtype=torch.float32)
    labels = torch.tensor(y)
    head = torch.nn.Linear(model.get_sentence_embedding_dimension() or 384, len(classes))
    optimiser = torch.optim.AdamW([{"params": model.parameters(), "lr": LEARNING_RATE},
                                   {"params": head.parameters(), "lr": HEAD_LEARNING_RATE}])
    model.train()
    order = torch.Generator().manual_seed(SEED)
    for _ in range(EPOCHS):
        for batch in torch.randperm(len(rows.texts), generator=order).split(BATCH):
            features = model.preprocess([rows.texts[i] for i in batch.tolist()])
            vectors = model(features)["sentence_embedding"]
            logits = head(torch.nn.functional.normalize(vectors, dim=-1) * SCALE)
            loss = (torch.nn.functional.cross_entropy(logits, labels[batch], reduction="none") * weight[batch]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        model.save(str(staging))
        _record_max_tokens(staging)
        for path in (staging, *staging.rglob("*")):  # readable by the service account, whoever trained it
            path.chmod(0o755 if path.is_dir() else 0o644)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _record_max_tokens(folder: Path) -> None:
    """Write max_seq_length into sentence_bert_config.json: newer sentence-transformers leave it out, and the
    ONNX embedder truncates where that file says."""
    config = folder / "sentence_bert_config.json"
    data = json.loads(config.read_text()) if config.exists() else {}
    data["max_seq_length"] = MAX_TOKENS
    config.write_text(json.dumps(data, indent=2))


if __name__ == "__main__":  # python -m bot.coaching.safeguarding_reader ROWS.json TARGET
    spec = json.loads(Path(sys.argv[1]).read_text())
    fine_tune(Rows(tuple(spec["texts"]), tuple(spec["labels"]), tuple(float(w) for w in spec["weights"])),
              Path(sys.argv[2]))
