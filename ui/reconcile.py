"""Bring the uploads folder and the index back in line when the server starts.

An upload is staged in a hidden folder, moved into the uploads folder, then ingested
(files registered as incomplete, chunks written, files marked complete). A server
killed part way (kill -9, OOM, power cut) leaves one of these behind, and this puts
each right with no manual step, before the first request is served:

- a staging folder: its files were never acknowledged, so it is removed (the upload
  is rolled back);
- a file in the uploads folder whose registry entry is missing, incomplete or of
  other content: it is ingested (the upload is finished; chunk ids derive from
  content, so a redo writes no duplicates);
- a registry entry for an uploaded file no longer on disk (a delete cut short): the
  entry and its chunks are removed.

    >>> reconcile_uploads(build_application(settings)).to_json()
    {'staging_removed': 1, 'finished': ['data/uploads/notes.md'], 'removed': [], 'failed': []}
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field

from assistant.app import Application
from ingest.pipeline import IngestReport

log = logging.getLogger(__name__)


@dataclass
class Reconciled:
    """What a start-up reconciliation repaired."""

    staging_removed: int = 0
    report: IngestReport = field(default_factory=IngestReport)

    @property
    def changed(self) -> bool:
        r = self.report
        return bool(self.staging_removed or r.added or r.updated or r.removed or r.failed)

    def to_json(self) -> dict[str, object]:
        r = self.report
        return {"staging_removed": self.staging_removed, "finished": [*r.added, *r.updated], "removed": r.removed,
                "failed": r.failed}  # fmt: skip


def reconcile_uploads(app: Application) -> Reconciled:
    """Finish or roll back whatever an interrupted upload or delete left behind.

    Runs under the same write lock as uploads, so a worker starting beside a busy one
    never takes a staging folder in use, or a file being ingested, for a leftover.
    Files that are already in line cost one hash each; nothing is embedded for them.
    """
    folder = app.documents.upload_dir
    if not folder.is_dir():
        return Reconciled()
    with app.documents.writing():
        leftovers = sorted(p for p in folder.glob(".staging-*") if p.is_dir())
        for path in leftovers:
            shutil.rmtree(path, ignore_errors=True)
        done = Reconciled(len(leftovers), app.documents.ingestor.ingest([folder]))
        if done.changed:
            app.index_changed()
    if done.changed:
        log.warning("uploads reconciled with the index after an interrupted write: %s", done.to_json())
    return done
