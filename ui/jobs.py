"""Uploads as jobs: a request is checked and queued at once, and one worker thread
writes the queued uploads to the index, one at a time, while questions go on.

A job moves ``queued -> running -> done | failed``. Its progress counts the files
stored so far and the passages they hold; when done it carries the same summary a
synchronous ingest gives (added, updated, unchanged, failed, chunks), and when failed
the error code and message the API would have answered with.

Jobs live in the server's memory. A job still queued when the server dies has written
nothing; one that was running is finished or rolled back by the next start's
reconciliation (``ui/reconcile.py``), so the index is whole either way.

    >>> jobs = IngestJobs(application.documents)
    >>> job = jobs.submit([("notes.md", b"# Notes\\n\\nSolar parks grow.")])
    >>> jobs.wait(job.id).status
    'done'
"""

from __future__ import annotations

import collections
import logging
import queue
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.documents import Documents
from core.errors import AssistantError, IngestInProgressError

from .errors import status_of

log = logging.getLogger("assistant.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A job waits this long for a write started elsewhere (`assistant ingest`, a delete, another
# worker process); it blocks no request while it waits.
_JOB_WRITE_WAIT_S = 120.0


@dataclass
class IngestJob:
    """One upload: its files (until it runs), its progress, and how it ended."""

    id: str
    files: list[tuple[str, bytes]] = field(repr=False)
    documents: Documents = field(repr=False)
    collection: str = "default"
    status: str = QUEUED
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    files_total: int = 0
    files_done: int = 0
    chunks: int = 0
    result: dict[str, Any] | None = None
    error: AssistantError | None = None
    error_code: str | None = None
    ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def progress(self, done: int, total: int, chunks: int) -> None:
        self.files_done, self.files_total, self.chunks = done, total, chunks

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "ingest.job",
            "collection": self.collection,
            "status": self.status,
            "created": round(self.created, 3),
            "started": None if self.started is None else round(self.started, 3),
            "finished": None if self.finished is None else round(self.finished, 3),
            "progress": {"files_done": self.files_done, "files_total": self.files_total, "chunks": self.chunks},
            "result": self.result,
            "error": None if self.error is None else {"code": self.error_code, "message": str(self.error)},
        }


class IngestJobs:
    """A bounded queue of upload jobs and the one worker thread that runs them.

    ``max_queued`` jobs may wait (each holds its files in memory, at most
    ``max_upload_mb``); past that, ``submit`` raises ``IngestInProgressError`` (503 with
    ``Retry-After``). The last ``keep`` finished jobs stay readable.
    """

    def __init__(self, documents: Documents, max_queued: int = 8, keep: int = 200):
        if max_queued < 1 or keep < 1:
            raise ValueError("max_queued and keep must be at least 1")
        self.documents = documents
        self.max_queued = max_queued
        self.keep = keep
        self._jobs: collections.OrderedDict[str, IngestJob] = collections.OrderedDict()
        self._queue: queue.Queue[IngestJob | None] = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._closed = False

    def submit(self, files: list[tuple[str, bytes]], documents: Documents | None = None,
               collection: str = "default") -> IngestJob:  # fmt: skip
        """Check the upload (names, types, count, size: the errors a client can fix) and
        queue it for ``documents`` (default: those given at start), of ``collection``.
        Reading the files, and everything that writes, happens in the job."""
        documents = documents or self.documents
        documents.check_upload(files)
        with self._lock:
            if self._closed:
                raise IngestInProgressError("The server is shutting down; upload again once it is back.")
            waiting = sum(job.status == QUEUED for job in self._jobs.values())
            if waiting >= self.max_queued:
                raise IngestInProgressError(f"{waiting} uploads are already waiting to be ingested; retry in a few "
                                            "seconds.")  # fmt: skip
            job = IngestJob(id=f"job_{secrets.token_hex(12)}", files=files, documents=documents,
                            collection=collection, files_total=len(files))  # fmt: skip
            self._jobs[job.id] = job
            self._forget_old()
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
                self._worker.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> IngestJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, limit: int = 20) -> list[IngestJob]:
        """The newest jobs first."""
        with self._lock:
            return list(reversed(self._jobs.values()))[:limit]

    def wait(self, job_id: str, timeout_s: float | None = None) -> IngestJob:
        """The job once it has ended (or as it is when ``timeout_s`` passes)."""
        job = self.get(job_id)
        if job is None:
            raise KeyError(job_id)
        job.ended.wait(timeout_s)
        return job

    def close(self, timeout_s: float = 30) -> None:
        """Stop taking jobs; the running one finishes, queued ones are dropped (nothing of
        them was written)."""
        with self._lock:
            self._closed = True
            worker = self._worker
        self._queue.put(None)
        if worker is not None:
            worker.join(timeout_s)

    def _forget_old(self) -> None:
        ended = [job_id for job_id, job in self._jobs.items() if job.status in (DONE, FAILED)]
        for job_id in ended[: max(0, len(ended) - self.keep)]:
            del self._jobs[job_id]

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None or self._closed:
                return
            job.status, job.started = RUNNING, time.time()
            try:
                report = job.documents.add_files(job.files, on_progress=job.progress, wait_s=_JOB_WRITE_WAIT_S)
                job.result, job.status = report.to_json(), DONE
            except AssistantError as err:
                job.error, job.error_code, job.status = err, status_of(err)[1], FAILED
            except Exception:  # the worker outlives any one job; the log has the details
                log.exception("ingest job %s failed", job.id)
                job.error = AssistantError("Internal error while ingesting; the server log has the details.")
                job.error_code, job.status = "internal_error", FAILED
            finally:
                job.files = []  # the bytes are written or refused: do not hold them
                job.finished = time.time()
                job.ended.set()
