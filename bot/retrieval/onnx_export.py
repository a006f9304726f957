"""Export the packaged all-MiniLM-L6-v2 to ONNX: the transformer, mean pooling and L2 normalisation in one
graph, so ONNX Runtime returns the same unit vectors as sentence-transformers.

Run as `python -m bot.retrieval.onnx_export SOURCE_DIR TARGET.onnx` in a child process (see
`onnx_embedder.ensure_onnx_model`): PyTorch is imported here and nowhere on the serving path.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
MIN_COSINE = 0.9999  # the export is checked against PyTorch before it is put in place


def export(source: Path, target: Path) -> None:
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                        ("HF_HUB_DISABLE_PROGRESS_BARS", "1")):
        os.environ.setdefault(name, value)
    import torch
    from transformers import AutoModel

    torch.set_num_threads(1)
    # Eager attention traces the padding mask as arithmetic; SDPA's shortcuts for an all-ones mask would be
    # frozen into the graph and give wrong vectors for padded batches.
    # eval() on the whole wrapper: the exporter restores the wrapper's mode afterwards, and a wrapper left in
    # training mode would switch the transformer's dropout on.
    model = _MeanPooled(AutoModel.from_pretrained(str(source), attn_implementation="eager")).eval()
    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0, 0]])
    mask = (ids != 0).long()
    example = (ids, mask, torch.zeros_like(ids))
    # Written into a fresh directory beside the target and renamed into place when checked: readers see no
    # model or a whole, checked one.
    target.parent.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.parent.name}-", dir=target.parent.parent))
    try:
        traced = work / "traced.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            expected = model(*example).numpy()
            warnings.simplefilter("ignore")  # tracer and deprecation chatter about the TorchScript exporter
            # The TorchScript exporter needs only the `onnx` package; the dynamo one would also need onnxscript.
            torch.onnx.export(
                model, example, str(traced), dynamo=False, opset_version=17,
                input_names=INPUT_NAMES, output_names=["embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in INPUT_NAMES}, "embedding": {0: "batch"}},
            )
        _with_external_weights(traced, work / target.name)
        _check(work / target.name, [t.numpy() for t in example], expected)
        for path in (work, *work.iterdir()):  # readable by the service account, whoever installed it
            path.chmod(0o755 if path.is_dir() else 0o644)
        work.rename(target.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _with_external_weights(traced: Path, model: Path) -> None:
    """Weights in a file of their own: onnxruntime maps it rather than copying it out of the model, and
    drops the mapping once the weights are repacked, so a worker holds about half the memory (measured:
    58 MiB against 127 MiB for the session, 100 against 187 MiB at the peak while loading)."""
    import onnx

    graph = onnx.load(str(traced))
    onnx.save_model(graph, str(model), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=model.name + ".data", size_threshold=1024)
    traced.unlink()


class _MeanPooled:
    """Built lazily so importing this module does not import torch."""

    def __new__(cls, transformer: Any) -> Any:
        import torch

        class MeanPooled(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.transformer = transformer

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                          token_type_ids=token_type_ids).last_hidden_state
                weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(pooled, p=2, dim=1)

        return MeanPooled()


def _check(path: Path, inputs: list[Any], expected: Any) -> None:
    import numpy as np
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, dict(zip(INPUT_NAMES, inputs, strict=True)))[0]
    cosine = float((np.asarray(got) * expected).sum(axis=1).min())
    if cosine < MIN_COSINE:
        raise RuntimeError(f"the ONNX export disagrees with PyTorch (cosine {cosine:.6f} < {MIN_COSINE})")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bot.retrieval.onnx_export SOURCE_DIR TARGET.onnx", file=sys.stderr)
        return 2
    export(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
