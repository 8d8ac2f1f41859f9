"""Pick the embedder for a backend name from the settings.

>>> open_embedder("onnx-int8", cache_dir=Path("~/.cache/assistant").expanduser()).name
'all-MiniLM-L6-v2/int8'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .embeddings import Embedder, SentenceTransformerEmbedder

Backend = Literal["torch", "onnx", "onnx-int8"]
BACKENDS: tuple[Backend, ...] = ("torch", "onnx", "onnx-int8")


def open_embedder(backend: Backend, cache_dir: Path, batch_size: int | None = None) -> Embedder:
    """An unloaded embedder: nothing heavy is imported until the first vector is needed."""
    if backend == "torch":
        return SentenceTransformerEmbedder(batch_size=batch_size or 64)
    if backend in ("onnx", "onnx-int8"):
        from .onnx_embedder import OnnxEmbedder

        variant: Literal["int8", "fp32"] = "int8" if backend == "onnx-int8" else "fp32"
        return OnnxEmbedder(cache_dir, variant=variant, batch_size=batch_size or 8)
    raise ValueError(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
