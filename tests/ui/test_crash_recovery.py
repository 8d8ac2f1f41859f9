"""kill -9 of a real `assistant serve` during an upload, then a restart: the server
reconciles its uploads folder with the index by itself (issue 11, defect 4).

The short form of `reliability/serve_kill_campaign.py` (`make reliability` runs ten
kills at random moments): one kill while the upload's job ingests its files (the
restart finishes them), one while they are still being staged (the restart rolls
them back). Either way every listed document is answered from, no file in the
uploads folder is unlisted, and nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reliability.serve_kill_campaign import (
    Server,
    Upload,
    facts,
    inspect,
    on_disk,
    staging,
    upload_and_wait,
    wait_until,
)

FILES = facts(100)  # one large upload: seconds of staging and ingest
KEEP = facts(1, start=100)  # uploaded and acknowledged before the interrupted upload


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    started = Server(tmp_path)
    started.start()
    upload_and_wait(started, KEEP)
    yield started
    started.stop()


def test_kill_while_an_upload_is_ingested_then_restart_finishes_it(server: Server) -> None:
    upload = Upload(server.url, FILES)
    # Every file has left staging for the uploads folder: the ingest has begun.
    assert wait_until(lambda: len(on_disk(server.uploads)) == 101 and not staging(server.uploads))
    wait_until(lambda: False, timeout_s=0.5)
    assert (upload.status, upload.outcome) == (202, None)  # accepted, and its job still running
    server.kill()
    upload.wait()
    assert (upload.status, upload.outcome) == (202, None) and upload.error  # the poll found the server gone

    server.start()
    state = inspect(server, [*FILES, *KEEP])
    assert state.listed == [f.source for f in [*FILES, *KEEP]]
    assert (state.unanswerable, state.unlisted, state.staging, state.duplicates) == ([], [], [], 0)
    assert (state.listed_chunks, state.stored_chunks) == (101, 101)


def test_kill_while_an_upload_is_staged_then_restart_rolls_it_back(server: Server) -> None:
    upload = Upload(server.url, FILES)
    assert wait_until(lambda: any(any((server.uploads / s).iterdir()) for s in staging(server.uploads)))
    server.kill()
    upload.wait()
    assert upload.outcome is None and upload.error  # the job never ended
    assert on_disk(server.uploads) == [KEEP[0].name]  # killed before any file left staging
    assert len(staging(server.uploads)) == 1

    server.start()
    state = inspect(server, [*FILES, *KEEP])
    assert state.listed == [KEEP[0].source]
    assert (state.unanswerable, state.unlisted, state.staging, state.duplicates) == ([], [], [], 0)
    assert (state.listed_chunks, state.stored_chunks) == (1, 1)
    assert on_disk(server.uploads) == [KEEP[0].name]
