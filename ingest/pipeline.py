"""Incremental, crash-safe ingestion of files and folders into the index.

For each file the content hash decides what to do: unchanged files cost one hash
and one registry lookup (the model is not even loaded); new or changed files are
loaded, normalised, chunked and written, in groups whose new chunks are embedded
together, with this order of steps:

1. register every file of the group as *incomplete*, with its new hash;
2. embed the group's new chunks (vectors of chunks whose id already exists are reused);
3. per file: upsert its chunks, delete those no longer produced, mark it *complete*.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

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
PIPELINE_VERSION = "2"

ProgressCallback = Callable[[int, int, str], None]
# New chunks are embedded in groups of about this many, across files: one model call
# per group instead of one per file (small files would leave batches nearly empty).
EMBED_GROUP_CHUNKS = 256


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
    def __init__(self, store: ChromaStore, embedder: Embedder, chunker: Chunker, shard: Shard | None = None):
        """With ``shard``, only the files it owns are written or removed (``ingest.sharding``)."""
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.shard = shard
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
        group: list[_Prepared] = []
        for done, path in enumerate(files, start=1):
            if on_progress:
                on_progress(done - 1, len(files), display_path(path))
            prepared = self._prepare(path, registry.get(str(path)), report)
            if prepared is not None:
                group.append(prepared)
            if sum(len(p.chunks) for p in group) >= EMBED_GROUP_CHUNKS:
                self._write(group, report)
                group = []
        self._write(group, report)
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

    def _write(self, group: list[_Prepared], report: IngestReport) -> None:
        """Write a group of files, embedding their new chunks in one call.

        Every file of the group is registered as incomplete before anything else is
        written and marked complete only after its own chunks are in, so a crash
        anywhere leaves each file either complete or marked for redoing.
        """
        if not group:
            return
        for item in group:
            self.store.put_document(item.record)
        reused = {} if self._reembed else self.store.embeddings_for(c.id for item in group for c in item.chunks)
        missing = list({c.id: c for item in group for c in item.chunks if c.id not in reused}.values())
        embedded = self.embedder.embed([c.embedding_text(self.chunker.embed_headings) for c in missing])
        vectors = {**reused, **{c.id: v for c, v in zip(missing, embedded, strict=True)}}
        for item in group:
            key, chunks = item.record.path, item.chunks
            self.store.upsert_chunks(chunks, np.stack([vectors[c.id] for c in chunks]), path=key,
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
