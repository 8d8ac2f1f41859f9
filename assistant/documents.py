"""Document management for every door: ingest, uploads, listing and deletes, one writer
at a time across threads and processes.

    >>> documents = build_application(Settings()).documents
    >>> documents.add_files([("notes.md", b"# Notes\\n\\nSolar parks grow.")]).added
    ['data/uploads/notes.md']
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from core.errors import (
    DocumentError,
    IngestInProgressError,
    InvalidUploadError,
    TooManyFilesError,
    UnknownCollectionError,
    UnknownDocumentError,
    UnsupportedFileError,
    UploadTooLargeError,
)
from core.records import DocumentRecord
from ingest.loaders import LOADERS, is_supported, load
from ingest.normalize import normalise
from ingest.pipeline import Ingestor, IngestReport, ProgressCallback
from ingest.sharding import Shard

from .seams import Store
from .settings import Settings

# `assistant ingest` and the start-up reconciliation wait this long for the write lock;
# uploads and deletes wait only `write_wait_s`, so requests never pile up behind a write.
_WRITE_WAIT_S = 120
# A shard's lease lasts this long unless renewed (it is, while the shard runs), so a
# killed shard process holds its shard for at most this long.
_LEASE_S = 120.0
# An upload is ingested this many files at a time at most (progress is told in between).
_STEP_FILES = 10
# files done, files in all, passages stored so far
UploadProgress = Callable[[int, int, int], None]
_BUSY = ("An ingest is in progress (another upload, delete or `assistant ingest` is writing to the index); "
         "retry in a few seconds.")  # fmt: skip


class Documents:
    """The documents of one store: what is indexed, and every way to change it.

    ``index_changed`` is called after each write, so answers see it (the keyword index
    reads the files that changed on the next question).
    """

    def __init__(self, settings: Settings, store: Store, ingestor: Ingestor, index_changed: Callable[[], None],
                 upload_dir: Path | None = None):  # fmt: skip
        """``upload_dir`` holds uploaded files and the write lock (default: the data folder's)."""
        self.settings = settings
        self.upload_dir = upload_dir or settings.upload_dir
        self.store = store
        self.ingestor = ingestor
        self.index_changed = index_changed
        # One writer at a time: uploads and deletes from several requests are serialised.
        self._write_lock = threading.Lock()
        # Why nothing may be written any more: the collection was deleted (``retire``).
        self._retired: str | None = None

    def retire(self, reason: str) -> None:
        """Refuse every write from now on with ``reason`` (``UnknownCollectionError``): the
        collection was deleted, and an upload queued before must not bring it back."""
        self._retired = reason

    @contextlib.contextmanager
    def writing(self, wait_s: float = _WRITE_WAIT_S) -> Iterator[None]:
        """One writer at a time, across threads and across processes sharing the data
        folder (several workers): two ingests of one path could delete each other's chunks.
        Raises ``IngestInProgressError`` when the lock is not free within ``wait_s``.
        Readers (questions, listings) never take it: they read the store directly."""
        from filelock import FileLock, Timeout

        if not self._write_lock.acquire(timeout=wait_s):
            raise IngestInProgressError(_BUSY)
        try:
            # Checked under the lock a delete holds, before the folder is made again.
            if self._retired is not None:
                raise UnknownCollectionError(self._retired)
            self.upload_dir.mkdir(parents=True, exist_ok=True)
            with FileLock(str(self.upload_dir / ".write.lock"), timeout=wait_s):
                yield
        except Timeout:
            raise IngestInProgressError(_BUSY) from None
        finally:
            self._write_lock.release()

    def ingest(
        self, paths: list[Path], on_progress: ProgressCallback | None = None, shard: Shard | None = None
    ) -> IngestReport:
        """`assistant ingest`: the same write lock as uploads, so an ingest and an upload
        (or two ingests) on one machine never interleave their writes to one file.

        With ``shard`` (``--shard 2/4``), only that shard's files, under a lease in the
        store instead: the other shards run at the same time, on this machine or others
        sharing the Chroma server, and a second process given the same shard is refused."""
        if shard is not None:
            return self._ingest_shard(paths, shard, on_progress)
        with self.writing():
            report = self.ingestor.ingest(paths, on_progress=on_progress)
            self.index_changed()
            return report

    def _ingest_shard(self, paths: list[Path], shard: Shard, on_progress: ProgressCallback | None) -> IngestReport:
        lease = f"ingest-shard-{shard.number}-of-{shard.count}"
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        if not self.store.take_lease(lease, owner, _LEASE_S):
            raise IngestInProgressError(
                f"Shard {shard.name} is being ingested by another process; wait for it to finish "
                "(or for its lease to expire, if it was killed), or run another shard."
            )
        renewed = time.monotonic()

        def progress(done: int, total: int, current: str) -> None:
            nonlocal renewed
            if time.monotonic() - renewed > _LEASE_S / 4:  # a long ingest keeps its lease
                self.store.take_lease(lease, owner, _LEASE_S, settle_s=0.0)
                renewed = time.monotonic()
            if on_progress:
                on_progress(done, total, current)

        try:
            ingestor = Ingestor(self.store, self.ingestor.embedder, self.ingestor.chunker, shard)  # type: ignore[arg-type]
            report = ingestor.ingest(paths, on_progress=progress)
            self.index_changed()
            return report
        finally:
            self.store.release_lease(lease, owner)

    def indexed(self) -> list[DocumentRecord]:
        """Documents whose chunks are all stored; one still being written (or cut short
        by a crash, until the next start reconciles it) is not listed."""
        return sorted((r for r in self.store.documents().values() if r.complete), key=lambda r: r.source)

    def text(self, document_id: str) -> tuple[DocumentRecord, str]:
        """A document and its text as the index holds it: its passages laid at their
        offsets, so ``text[c.start:c.end] == c.text`` for every passage cited from it
        (what lies between passages, only white space, is kept as line breaks)."""
        record = next((r for r in self.indexed() if r.id == document_id), None)
        if record is None:
            raise UnknownDocumentError(f"No indexed document has the id {document_id!r}; list them with GET "
                                       "/v1/documents.")  # fmt: skip
        chunks = sorted((c for c, _ in self.store.chunks_by_id(sorted(self.store.chunk_ids_in([record.path])))),
                        key=lambda c: (c.start, c.end))  # fmt: skip
        out: list[str] = []
        end = 0
        for chunk in chunks:
            if chunk.start >= end:
                out.append("\n" * (chunk.start - end) + chunk.text)
            elif chunk.end > end:  # overlapping passages: only what is new
                out.append(chunk.text[end - chunk.start :])
            end = max(end, chunk.end)
        return record, "".join(out)

    def check_upload(self, files: list[tuple[str, bytes]]) -> list[str]:
        """The safe names of an upload's files, or the error a client can fix: no files,
        a bad or repeated name, an unsupported type, too many files or bytes."""
        if not files:
            raise DocumentError("No files were uploaded: attach one or more documents.")
        names = [safe_name(name) for name, _ in files]
        twice = next((name for name, count in Counter(names).items() if count > 1), None)
        if twice is not None:
            # Both would be staged as one file: which one is stored would be chance.
            raise InvalidUploadError(f"{twice} is named twice in this upload; send each file once.")
        unsupported = [n for n in names if not is_supported(Path(n))]
        if unsupported:
            raise UnsupportedFileError(
                f"{', '.join(unsupported)}: unsupported file type; supported: {', '.join(sorted(LOADERS))}"
            )
        self._check_size(files)
        return names

    def add_files(self, files: list[tuple[str, bytes]], on_progress: UploadProgress | None = None,
                  wait_s: float | None = None) -> IngestReport:  # fmt: skip
        """Save uploaded files under the uploads folder and ingest them.

        Every name is checked before anything is written, and every file is read before
        any is moved in, so a request with one bad file changes nothing. The files are
        then ingested a few at a time; ``on_progress(files_done, files_total, chunks)``
        follows along. ``wait_s`` bounds the wait for the write lock (default
        ``write_wait_s``).
        """
        names = self.check_upload(files)
        folder = self.upload_dir
        with self.writing(self.settings.write_wait_s if wait_s is None else wait_s):
            # A staging folder per call: workers sharing the data folder may stage files
            # of the same name at once.
            staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
            staged = [staging / name for name in names]
            try:
                for path, (_, content) in zip(staged, files, strict=True):
                    path.write_bytes(content)
                    # A file that cannot be read, or holds no text, never replaces a good one.
                    self._check_has_text(path, folder / path.name)
                paths = []
                for path in staged:
                    paths.append(path.replace(folder / path.name))
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            return self._ingest_in_steps(paths, on_progress)

    def _ingest_in_steps(self, paths: list[Path], on_progress: UploadProgress | None) -> IngestReport:
        """Ingest ``paths`` about a tenth at a time, so progress can be told; questions
        are answered from what is stored meanwhile."""
        report = IngestReport()
        step = max(1, min(_STEP_FILES, -(-len(paths) // 10)))
        chunks = 0
        for start in range(0, len(paths), step):
            part = self.ingestor.ingest(paths[start : start + step])
            for name in ("added", "updated", "unchanged", "removed", "failed", "skipped"):
                getattr(report, name).extend(getattr(part, name))
            for path in paths[start : start + step]:
                record = self.store.document(str(path.resolve()))
                chunks += record.chunks if record is not None and record.complete else 0
            report.chunks = part.chunks
            self.index_changed()  # questions see each step as it lands
            if on_progress:
                on_progress(min(start + step, len(paths)), len(paths), chunks)
        return report

    def _check_size(self, files: list[tuple[str, bytes]]) -> None:
        """Bound one upload's work (a thousand tiny files took minutes under the write lock).
        The API's body limit already holds the bytes; the chat page's files arrive apart."""
        limit = self.settings.max_upload_files
        if len(files) > limit:
            raise TooManyFilesError(f"This upload holds {len(files)} files; the limit is {limit} per upload. Send "
                                    "them in several uploads, or raise ASSISTANT_MAX_UPLOAD_FILES.")  # fmt: skip
        total_mb = sum(len(content) for _, content in files) / (1024 * 1024)
        if total_mb > self.settings.max_upload_mb:
            raise UploadTooLargeError(
                f"This upload holds {total_mb:.1f} MB of files; the limit is {self.settings.max_upload_mb:g} MB per "
                "upload. Send fewer or smaller files at a time, or raise ASSISTANT_MAX_UPLOAD_MB."
            )

    def _check_has_text(self, staged: Path, final: Path) -> None:
        # Text outside headings is exactly what becomes chunks; asking the chunker would
        # count every word piece once here and again when the file is ingested.
        document = normalise(load(staged))
        if not any(span.kind != "heading" for span in document.spans):
            raise InvalidUploadError(f"{final.name}: only headings, no text to index")

    def delete(self, document_id: str) -> DocumentRecord:
        """Remove a document from the index; an uploaded file is deleted too."""
        with self.writing(self.settings.write_wait_s):
            record = next((r for r in self.store.documents().values() if r.id == document_id), None)
            if record is None:
                raise UnknownDocumentError(
                    f"No indexed document has the id {document_id!r}; list them with GET /v1/documents."
                )
            # The file goes first: a crash in between leaves an entry whose file is gone,
            # which the next start removes (ui/reconcile.py), never a file it would re-add.
            path = Path(record.path)
            if path.parent == self.upload_dir.resolve():
                path.unlink(missing_ok=True)
            self.store.delete_document(record.path)
            self.index_changed()
            return record


def safe_name(name: str) -> str:
    """The bare file name of an upload, refusing anything that could leave the folder."""
    base = Path(name.replace("\\", "/")).name.strip()
    if not base or base in (".", "..") or base.startswith(".") or "\x00" in base or len(base) > 200:
        raise InvalidUploadError(f"{name!r} is not a usable file name; rename the file and upload it again.")
    return base
