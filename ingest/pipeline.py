"""Incremental, crash-safe ingestion of files and folders into the index.

For each file the content hash decides what to do: unchanged files cost one hash
and one registry lookup (the model is not even loaded); new or changed files are
loaded, normalised, chunked and written, in groups whose new chunks are embedded
together. Each group goes through three steps:

1. embed the group's new chunks (vectors of chunks whose id already exists are reused);
2. register every file of the group as *incomplete*, with its new hash;
3. per file: upsert its chunks, delete those no longer produced, mark it *complete*.

The steps overlap across groups, so embedding (most of the time) never waits for
the rest: the calling thread loads and chunks the next files while one worker
thread embeds a group and another writes the group before it (one embedding call
at a time, groups written in order, at most ``PIPELINE_DEPTH`` groups handed on
ahead of the oldest unwritten one). Only the writer touches the index, so the
order of writes is the sequential one.

A process killed anywhere in between leaves an incomplete entry, so the next run
redoes that file; chunk ids derive from content, so redoing it writes the same ids
and leaves no duplicates or orphans. Files gone from an ingested folder are removed.

    >>> report = Ingestor(store, embedder, chunker).ingest([Path("data/corpus")])
    >>> report.to_json()["added"]
    ['data/corpus/india-us-cooperation-trade-energy-defence.txt']
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from core.errors import DocumentError
from core.records import Chunk, DocumentRecord
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder

from .chunking import Chunker
from .loaders import is_supported, load
from .normalize import normalise
from .sharding import Shard

log = logging.getLogger(__name__)

# Bump when loading, normalising or chunking changes, so every file is redone.
PIPELINE_VERSION = "5"

ProgressCallback = Callable[[int, int, str], None]
_T = TypeVar("_T")
# New chunks are embedded in groups of about this many, across files: one model call
# per group instead of one per file (small files would leave batches nearly empty).
EMBED_GROUP_CHUNKS = 256
# Groups handed to the workers before the oldest of them must be written: with two,
# the next files are chunked while one group embeds and the one before is written.
# More only holds memory, since embedding is the slowest step. 0 is the sequential
# order (each group embedded and written before the next file is read).
PIPELINE_DEPTH = 2


@dataclass(frozen=True)
class _Prepared:
    record: DocumentRecord
    chunks: list[Chunk]
    is_new: bool


@dataclass
class IngestReport:
    """What one ingest run did, per file (paths as shown to users)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, object]:
        """The machine-readable summary: exactly these six keys."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": self.failed,
            "chunks": self.chunks,
        }


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Ingestor:
    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        chunker: Chunker,
        shard: Shard | None = None,
        depth: int = PIPELINE_DEPTH,
    ):
        """With ``shard``, only the files it owns are written or removed (``ingest.sharding``)."""
        if depth < 0:
            raise ValueError("depth must be 0 (sequential) or more")
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.shard = shard
        self.depth = depth
        self._reembed = False
        self._signature = (
            f"v{PIPELINE_VERSION}:t{chunker.target_tokens}:m{chunker.max_tokens}:h{chunker.embed_headings:d}"
        )

    def ingest(self, paths: Sequence[Path], on_progress: ProgressCallback | None = None) -> IngestReport:
        """Bring the index in line with ``paths`` (files and folders, walked recursively)."""
        report = IngestReport()
        files, roots = self._discover(paths, report)
        registry = self.store.documents()
        recorded = self.store.embedding_model()
        # Vectors from another model or numeric format are not comparable with this
        # embedder's: every file is redone and no stored vector is reused.
        self._reembed = bool(registry) and recorded != self.embedder.name
        if self._reembed:
            log.warning(
                "the index was embedded with %s; re-embedding every document with %s",
                recorded or "an unrecorded model",
                self.embedder.name,
            )
        self._pipeline(files, registry, report, on_progress)
        if on_progress:
            on_progress(len(files), len(files), "")
        present = {str(f) for f in files}
        for record in registry.values():
            if self.shard is not None and not self.shard.owns(record.path):
                continue  # another shard's to remove
            in_root = any(record.path.startswith(root + os.sep) for root in roots)
            if in_root and record.path not in present and not Path(record.path).exists():
                self.store.delete_document(record.path)
                report.removed.append(record.source)
        if recorded != self.embedder.name and not (self._reembed and report.failed):
            # A file that failed this time keeps its old vectors, so the index is not
            # yet all one model's: the next run tries again.
            self.store.set_embedding_model(self.embedder.name)
        report.chunks = self.store.count()
        return report

    def _discover(self, paths: Sequence[Path], report: IngestReport) -> tuple[list[Path], list[str]]:
        files: dict[Path, None] = {}
        roots: list[str] = []
        for given in paths:
            path = given.resolve()
            if path.is_dir():
                roots.append(str(path))
                for candidate in sorted(path.rglob("*")):
                    relative = candidate.relative_to(path)
                    if any(part.startswith(".") for part in relative.parts) or not candidate.is_file():
                        continue
                    if is_supported(candidate):
                        files[candidate] = None
                    elif self.shard is None or self.shard.owns(str(candidate)):
                        report.skipped.append(display_path(candidate))  # said once, by one shard
            elif path.is_file():
                if is_supported(path):
                    files[path] = None
                else:
                    report.skipped.append(display_path(path))
            else:
                report.failed.append({"source": str(given), "error": f"{given}: no such file or folder"})
        if self.shard is not None:
            owned = self.shard.owns
            return [f for f in files if owned(str(f))], roots
        return list(files), roots

    def _prepare(self, path: Path, record: DocumentRecord | None, report: IngestReport) -> _Prepared | None:
        """Chunks for a new or changed file; None (and a report line) otherwise."""
        source = display_path(path)
        try:
            file_hash = self._hash(path)
            if record is not None and record.complete and record.file_hash == file_hash and not self._reembed:
                report.unchanged.append(source)
                return None
            document = normalise(load(path))
        except DocumentError as err:
            # Whatever the index held for this file stays: a bad edit loses nothing.
            report.failed.append({"source": source, "error": str(err)})
            return None
        except OSError as err:
            report.failed.append({"source": source, "error": f"{path.name}: cannot be read ({err.strerror})"})
            return None
        chunks = self.chunker.chunk(document, path=str(path), source=source)
        if not chunks:
            report.failed.append({"source": source, "error": f"{path.name}: only headings, no text to index"})
            return None
        is_new = record is None or not record.complete
        return _Prepared(
            DocumentRecord(str(path), source, document.title, file_hash, len(chunks), False), chunks, is_new
        )

    def _pipeline(
        self,
        files: list[Path],
        registry: dict[str, DocumentRecord],
        report: IngestReport,
        on_progress: ProgressCallback | None,
    ) -> None:
        """Prepare files here, embed and write their groups on two worker threads.

        A failure anywhere ends the run as the sequential order would: the groups
        before the one that failed are written, nothing after it is, and the error
        is raised here once both workers are idle (so nothing writes after return).
        """
        halt = _Halt()
        # Per group handed on, oldest first: its embedding and its write.
        pending: deque[tuple[Future[dict[str, np.ndarray] | None], Future[None]]] = deque()
        handed = 0
        embedding = ThreadPoolExecutor(1, thread_name_prefix="ingest-embed")
        writing = ThreadPoolExecutor(1, thread_name_prefix="ingest-write")

        def finish_oldest() -> None:
            vectors, written = pending.popleft()
            vectors.result()  # raises what the embedding raised, then what the write did
            written.result()

        try:
            group: list[_Prepared] = []
            for done, path in enumerate(files, start=1):
                if halt.halted:
                    break  # a worker failed: its error is raised below
                if on_progress:
                    on_progress(done - 1, len(files), display_path(path))
                prepared = self._prepare(path, registry.get(str(path)), report)
                if prepared is not None:
                    group.append(prepared)
                if sum(len(p.chunks) for p in group) >= EMBED_GROUP_CHUNKS or (done == len(files) and group):
                    handed += 1
                    vectors = embedding.submit(halt.step, handed, self._embed, group)
                    pending.append((vectors, writing.submit(halt.step, handed, self._write, group, vectors, report)))
                    group = []
                    while len(pending) > self.depth:
                        finish_oldest()
            while pending:
                finish_oldest()
        except BaseException:
            # Groups already handed on are finished (as if they had been written
            # before this file was read); nothing later starts.
            halt.after(handed)
            raise
        finally:
            embedding.shutdown(wait=True)
            writing.shutdown(wait=True)

    def _embed(self, group: list[_Prepared]) -> dict[str, np.ndarray]:
        """Vectors for every chunk of a group: stored ones reused, the rest embedded in one call."""
        reused = {} if self._reembed else self.store.embeddings_for(c.id for item in group for c in item.chunks)
        missing = list({c.id: c for item in group for c in item.chunks if c.id not in reused}.values())
        embedded = self.embedder.embed([c.embedding_text(self.chunker.embed_headings) for c in missing])
        return {**reused, **{c.id: v for c, v in zip(missing, embedded, strict=True)}}

    def _write(
        self, group: list[_Prepared], vectors: Future[dict[str, np.ndarray] | None], report: IngestReport
    ) -> None:
        """Write a group of files once its vectors are ready.

        Every file of the group is registered as incomplete before anything else is
        written and marked complete only after its own chunks are in, so a crash
        anywhere leaves each file either complete or marked for redoing.
        """
        ready = vectors.result()  # the embedding's own error, if it failed
        assert ready is not None  # a write runs only when its group's embedding did
        for item in group:
            self.store.put_document(item.record)
        for item in group:
            key, chunks = item.record.path, item.chunks
            self.store.upsert_chunks(chunks, np.stack([ready[c.id] for c in chunks]), path=key,
                                     file_hash=item.record.file_hash)  # fmt: skip
            self.store.delete_chunks(self.store.chunk_ids(key) - {c.id for c in chunks})
            self.store.put_document(replace(item.record, complete=True))
            (report.added if item.is_new else report.updated).append(item.record.source)

    def _hash(self, path: Path) -> str:
        digest = hashlib.sha256(self._signature.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()[:32]


class _Halt:
    """Which groups may still run: all of them until a step fails.

    Group ``n``'s embedding or write that fails stops every later group (their steps
    return without doing anything); the groups before it carry on, so what ends up
    written is what the sequential order would have written before the same error.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: int | None = None

    @property
    def halted(self) -> bool:
        return self._last is not None

    def after(self, number: int) -> None:
        """Let groups up to ``number`` finish, and no later one start."""
        with self._lock:
            self._last = number if self._last is None else min(self._last, number)

    def step(self, number: int, work: Callable[..., _T], *args: object) -> _T | None:
        if self._last is not None and number > self._last:
            return None
        try:
            return work(*args)
        except BaseException:
            self.after(number - 1)
            raise
