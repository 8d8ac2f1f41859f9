"""Export the bundled model to ONNX once, optimise it, quantise it, and cache it.

The files come from the installed model package only: torch traces the model
(``torch.onnx.export``), ONNX Runtime's transformer optimiser fuses attention,
GELU and layer norms into single operators, and dynamic quantisation stores the
weights as int8. Each step is done once per model and recipe, under a lock, into a
temporary name renamed into place, so concurrent first runs (several server workers)
export once and a crash never leaves a half-written model behind.

Later runs load the cached file with ONNX Runtime and never import torch, which is
most of what makes the ONNX path start fast.

    >>> path = onnx_model(bundled_model_path(), Path("~/.cache/assistant").expanduser(), "int8")
    >>> path.name
    'model-int8.onnx'
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

Variant = Literal["fp32", "int8"]
# Bump when the export recipe changes, so cached files from an older recipe are not used.
RECIPE = "1"
_OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def cache_key(model_path: Path) -> str:
    """Names the model's weights and the recipe; a new model or recipe gets new files."""
    digest = hashlib.sha256(f"recipe {RECIPE}\n".encode())
    for name in ("config.json", "tokenizer.json"):
        digest.update((model_path / name).read_bytes())
    weights = model_path / "model.safetensors"
    digest.update(f"{weights.stat().st_size}".encode())
    with weights.open("rb") as handle:
        # The safetensors header lists every tensor's name, shape and offsets.
        digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]


def onnx_model(model_path: Path, cache_dir: Path, variant: Variant) -> Path:
    """The cached ONNX file for ``variant``, exporting it first if it is missing."""
    from filelock import FileLock

    folder = cache_dir / "onnx" / f"{model_path.name}-{cache_key(model_path)}"
    target = folder / f"model-{variant}.onnx"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / "export.lock")):
        if target.is_file():  # another process exported it while this one waited
            return target
        optimised = folder / "model-fp32.onnx"
        with _quiet():
            if not optimised.is_file():
                log.info("exporting %s to ONNX in %s (once)", model_path.name, folder)
                _export_optimised(model_path, optimised)
            if variant == "int8":
                _quantise(optimised, target)
        (folder / "recipe.json").write_text(json.dumps({"recipe": RECIPE, "model": str(model_path)}))
    return target


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The tracer and the quantiser warn about things that do not apply to this model
    (Python booleans in the trace, optional pre-processing); users would only see noise."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def _export_optimised(model_path: Path, target: Path) -> None:
    import torch
    import transformers
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoConfig, AutoModel

    transformers.logging.set_verbosity_error()
    # Eager attention traces into plain MatMul/Softmax, which the optimiser fuses into
    # one Attention operator; the SDPA path does not fuse.
    bert = AutoModel.from_pretrained(str(model_path), attn_implementation="eager", local_files_only=True).eval()
    config = AutoConfig.from_pretrained(str(model_path), local_files_only=True)

    class LastHiddenState(torch.nn.Module):
        # Keyword arguments: transformers 5 changed the positional order of forward().
        def __init__(self, model: torch.nn.Module):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = torch.ones(2, 8, dtype=torch.long)
    raw = target.with_suffix(".raw.tmp")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    with torch.no_grad():
        torch.onnx.export(
            LastHiddenState(bert),
            (sample, torch.ones_like(sample), torch.zeros_like(sample)),
            str(raw),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=_OPSET,
            dynamo=False,
        )
    fused = optimize_model(
        str(raw), model_type="bert", num_heads=config.num_attention_heads, hidden_size=config.hidden_size
    )
    partial = target.with_suffix(".tmp")
    fused.save_model_to_file(str(partial))
    os.replace(partial, target)
    raw.unlink(missing_ok=True)


def _quantise(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    partial = target.with_suffix(".tmp")
    # Per-channel int8 weights keep cosine agreement with the float model near 0.99;
    # per-tensor uint8 drops it to about 0.97 on the same texts.
    quantize_dynamic(
        str(source),
        str(partial),
        weight_type=QuantType.QInt8,
        per_channel=True,
        # The fused operators come from ONNX Runtime's own domain, which shape
        # inference does not know; their outputs are float.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    os.replace(partial, target)
