"""Words that mean nearly the same, from the embedding model's own word-piece table.

Exact words miss "concerns" for "worried", "price" for "cost", "firm" for "company".
The model's input table (one vector per word piece, learned with the model) puts such
words near each other, so a question word that a sentence lacks can earn part of its
weight from the sentence's nearest word. Nothing runs through the model: a word's
vector is the mean of its pieces' rows, looked up once and cached, which keeps the cost
to one small matrix product per question.

    >>> vectors = WordVectors()
    >>> vectors.nearest(["worried"], [("concerns", "fishing"), ("turbine",)]).round(2)
    array([[ 0.49], [-0.05]], dtype=float32)
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np

from vectorstore.embeddings import TokenCounter, bundled_model_path

log = logging.getLogger(__name__)
# Words remembered (1.5 KB each, 24 MB in all) before the memory starts afresh.
MAX_WORDS = 1 << 14
# Sentences remembered as rows of that table. A large corpus of a small vocabulary brings
# new sentences of old words forever, so they are bounded on their own (some 3 MB).
MAX_TEXTS = 1 << 13


class WordVectors:
    def __init__(
        self, model_path: Path | None = None, cache_dir: Path | None = None, counter: TokenCounter | None = None
    ) -> None:
        self.model_path = Path(model_path) if model_path else bundled_model_path()
        # The application's token counter: its tokenizer (the same, untruncated) is not
        # loaded twice.
        self.counter = counter
        # Where the half-precision table is kept as a file: read back mapped, it costs a
        # new process nothing to load, and the workers of a server share its pages.
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._rows: dict[str, int] = {}
        self._texts: dict[tuple[str, ...], np.ndarray] = {}
        self._matrix = np.zeros((0, 0), np.float32)
        # Server threads answer at once; the word table grows under this lock.
        self._lock = threading.Lock()

    @functools.cached_property
    def _table(self) -> tuple[np.ndarray, object] | None:
        try:
            table = self._saved_table()
            if table is None:
                table = self._save_table(self._read_table())
            if self.counter is not None:
                return table, self.counter.tokenizer
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        except (OSError, ValueError, StopIteration) as err:
            # Answers still work on exact words alone.
            log.warning("word vectors unavailable (%s); matching exact words only", err)
            return None
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return table, tokenizer

    def _read_table(self) -> np.ndarray:
        from safetensors import safe_open

        # Only the word-piece table is read, not the model's other 60 MB of weights.
        with safe_open(str(self.model_path / "model.safetensors"), framework="numpy") as weights:
            name = next(k for k in weights.keys() if k.endswith("word_embeddings.weight"))  # noqa: SIM118
            # Half precision halves the table (23 MB); cosines move in the third decimal.
            return weights.get_tensor(name).astype(np.float16)

    def _table_file(self) -> Path | None:
        if self.cache_dir is None:
            return None
        model = (self.model_path / "model.safetensors").resolve()
        stat = model.stat()
        key = hashlib.sha256(f"{model}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        return self.cache_dir / f"word-pieces-{key}.f16.npy"

    def _saved_table(self) -> np.ndarray | None:
        path = self._table_file()
        if path is None or not path.is_file():
            return None
        try:
            table = np.load(path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as err:
            log.info("ignoring the saved word-piece table %s (%s)", path, err)
            return None
        return table if table.dtype == np.float16 and table.ndim == 2 else None

    def _save_table(self, table: np.ndarray) -> np.ndarray:
        """``table`` saved for later processes and read back mapped; as it is if it cannot be."""
        path = self._table_file()
        if path is None:
            return table
        partial = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: another process never reads half a table.
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".partial", delete=False) as out:
                partial = Path(out.name)
                np.save(out, table, allow_pickle=False)
            os.replace(partial, path)
        except OSError as err:
            log.info("word-piece table not saved in %s (%s)", path.parent, err)
            if partial is not None:
                partial.unlink(missing_ok=True)
            return table
        saved = self._saved_table()
        return saved if saved is not None else table

    @property
    def available(self) -> bool:
        return self._table is not None

    def warm_up(self) -> None:
        """Read the table now rather than on the first question."""
        _ = self._table

    def _row(self, word: str) -> int:
        """The row of ``word``'s vector in ``self._matrix``, added on first sight."""
        row = self._rows.get(word)
        if row is None:
            assert self._table is not None
            table, tokenizer = self._table
            ids = tokenizer.encode(word, add_special_tokens=False).ids  # type: ignore[attr-defined]
            mean = table[ids].astype(np.float32).mean(axis=0) if ids else np.zeros(table.shape[1], np.float32)
            row = len(self._rows)
            if row >= len(self._matrix):
                grown = np.zeros((max(1024, 2 * len(self._matrix)), table.shape[1]), np.float32)
                grown[: len(self._matrix)] = self._matrix if row else 0.0
                self._matrix = grown
            self._matrix[row] = mean / (np.linalg.norm(mean) or 1.0)
            self._rows[word] = row
        return row

    def _text_rows(self, words: tuple[str, ...]) -> np.ndarray:
        rows = self._texts.get(words)
        if rows is None:
            rows = self._texts[words] = np.array([self._row(w) for w in words], np.intp)
        return rows

    def closest(self, word: str, others: Collection[str]) -> float:
        """The cosine of ``word`` to the nearest of ``others`` (0.0 when there are none).
        Unlike ``nearest``, the words are not remembered as one text: a set of every word
        of several passages seldom comes back."""
        if not others or not self.available:
            return 0.0
        with self._lock:
            if len(self._rows) + len(others) + 1 >= MAX_WORDS:
                self._rows.clear()
                self._texts.clear()
            rows = np.fromiter((self._row(w) for w in others), np.intp, len(others))
            query = self._matrix[self._row(word)]
            return float((self._matrix[rows] @ query).max())

    def nearest(self, asked: Sequence[str], texts: Sequence[tuple[str, ...]]) -> np.ndarray:
        """For each text (a tuple of its words) and each asked word, the cosine of the
        asked word to the text's nearest word: an array of ``len(texts) x len(asked)``."""
        out = np.zeros((len(texts), len(asked)), np.float32)
        if not asked or not self.available:
            return out
        with self._lock:
            if len(self._rows) >= MAX_WORDS:  # a long-running server meets new words forever
                self._rows.clear()
                self._texts.clear()
            elif len(self._texts) + len(texts) > MAX_TEXTS:
                self._texts.clear()
            kept = [i for i, text in enumerate(texts) if text]
            if not kept:
                return out
            per_text = [self._text_rows(texts[i]) for i in kept]
            # Rows first: adding one may grow the matrix, and the one read must be the grown one.
            asked_rows = [self._row(w) for w in asked]
            query = self._matrix[asked_rows]
            unique, inverse = np.unique(np.concatenate(per_text), return_inverse=True)
            sims = (self._matrix[unique] @ query.T)[inverse]
        starts = np.cumsum([0] + [len(r) for r in per_text[:-1]])
        out[kept] = np.maximum.reduceat(sims, starts, axis=0)
        return out
