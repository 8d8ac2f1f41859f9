"""Start-up reconciliation of the uploads folder with the index, one leftover of each kind,
on the real store and model (the real kill -9 is in test_crash_recovery.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import Application, build_application
from assistant.settings import Settings
from ui.reconcile import reconcile_uploads

from ..conftest import CORPUS

FILES = {
    "alpha.md": b"# Alpha\n\nThe Alpha depot holds 1200 crates of salt.\n",
    "bravo.md": b"# Bravo\n\nThe Bravo depot holds 1300 crates of rope.\n",
    "charlie.md": b"# Charlie\n\nThe Charlie depot holds 1400 crates of wool.\n",
}
DELTA = b"# Delta\n\nThe Delta depot holds 1500 crates of barley.\n"


@pytest.fixture
def services(tmp_path: Path, embedder) -> Iterator[Application]:
    opened = build_application(Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS), embedder=embedder)
    assert opened.documents.add_files(list(FILES.items())).ok
    yield opened
    opened.close()


def cites(services: Application, depot: str) -> list[str]:
    answer = services.assistant.ask(f"How many crates does the {depot} depot hold?")
    return [c.source for c in answer.citations]


def test_nothing_to_do_costs_nothing(services: Application) -> None:
    assert reconcile_uploads(services).to_json() == {"staging_removed": 0, "finished": [], "removed": [],
                                                     "failed": []}  # fmt: skip
    assert [r.source for r in services.documents.indexed()] == [f"data/uploads/{n}" for n in FILES]


def test_each_leftover_is_finished_or_rolled_back(services: Application) -> None:
    uploads = services.settings.upload_dir
    store = services.assistant.store
    # A crash while staging: files received, never moved in.
    (uploads / ".staging-x1y2").mkdir()
    (uploads / ".staging-x1y2" / "echo.md").write_bytes(b"# Echo\n\nThe Echo depot holds 1600 crates of tin.\n")
    # A crash after the move, before the ingest registered the file.
    (uploads / "delta.md").write_bytes(DELTA)
    # A crash mid-ingest: entry marked incomplete, chunks not yet written.
    charlie = store.document(str((uploads / "charlie.md").resolve()))
    assert charlie is not None
    store.put_document(dataclasses.replace(charlie, complete=False))
    store.delete_chunks(store.chunk_ids(charlie.path))
    # A crash in a delete: the file went first, the entry stayed.
    (uploads / "bravo.md").unlink()
    # Never listed as complete without its chunks.
    assert [r.source for r in services.documents.indexed()] == ["data/uploads/alpha.md", "data/uploads/bravo.md"]

    done = reconcile_uploads(services)
    assert done.to_json() == {"staging_removed": 1, "finished": ["data/uploads/charlie.md", "data/uploads/delta.md"],
                              "removed": ["data/uploads/bravo.md"], "failed": []}  # fmt: skip
    assert sorted(p.name for p in uploads.iterdir()) == [".write.lock", "alpha.md", "charlie.md", "delta.md"]
    assert [(r.source, r.chunks) for r in services.documents.indexed()] == [
        ("data/uploads/alpha.md", 1), ("data/uploads/charlie.md", 1), ("data/uploads/delta.md", 1),
    ]  # fmt: skip
    assert store.count() == 3
    assert cites(services, "Charlie") == ["data/uploads/charlie.md"]
    assert cites(services, "Delta") == ["data/uploads/delta.md"]
    assert cites(services, "Bravo") == []
    # A second start finds nothing left to do.
    assert reconcile_uploads(services).changed is False
