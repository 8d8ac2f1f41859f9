"""Bounded work per write request, against the served app (issue 11, defect 5): too many
files or bytes in one upload are refused before anything is written, questions and
listings are answered while a long upload holds the write lock, a second upload is
queued behind it, and a delete that cannot get the lock soon gets 503 with
``Retry-After`` instead of queueing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import Settings
from core.errors import UploadTooLargeError

from ..conftest import CORPUS
from ..helpers import snapshot
from .conftest import Served, serve

QUESTION = {"question": "Which senator from Tennessee did the ambassador meet?"}
BUSY = (
    "An ingest is in progress (another upload, delete or `assistant ingest` is writing to the index); "
    "retry in a few seconds."
)


def note(i: int) -> tuple[str, bytes, str]:
    text = f"# Note {i}\n\nHarbour {i} moved {i * 13} containers of grain in week {i % 7}.\n\n" + (
        f"Crane {i} lifted {i * 3} loads before the tide turned at pier {i % 5}. " * 12
    )
    return f"note-{i:03d}.md", text.encode(), "text/markdown"


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """The bundled corpus, default upload limits, and a write waits at most 0.5 s for the lock."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("bounded"), corpus_dir=CORPUS, write_wait_s=0.5)
    yield from serve(settings, embedder, ingest=True)


def stored(served: Served) -> tuple[dict[str, bytes], object]:
    folder = served.services.settings.upload_dir
    names = sorted(folder.iterdir()) if folder.is_dir() else []
    files = {p.name: p.read_bytes() for p in names if p.is_file() and not p.name.startswith(".")}
    return files, snapshot(served.services.assistant.store)


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["message"]


def test_more_files_than_the_limit_are_refused_before_anything_is_written(bounded: Served) -> None:
    before = stored(bounded)
    response = httpx.post(f"{bounded.url}/v1/documents", files=[("files", note(i)) for i in range(101)], timeout=120)
    assert error(response) == (422, "too_many_files", "This upload holds 101 files; the limit is 100 per upload. "
                               "Send them in several uploads, or raise ASSISTANT_MAX_UPLOAD_FILES.")  # fmt: skip
    assert stored(bounded) == before
    # Past what the form parser reads at all (1000 parts), the same error, not its own 400.
    many = [("files", (f"n{i}.md", b"# N\n\nA note.", "text/markdown")) for i in range(1001)]
    response = httpx.post(f"{bounded.url}/v1/documents", files=many, timeout=120)
    assert error(response) == (422, "too_many_files", "This upload holds more than 1000 parts (files and form "
                               "fields); the limit is 100 per upload. Send them in several uploads.")  # fmt: skip
    # A file part without a file name is no file.
    nameless = httpx.post(f"{bounded.url}/v1/documents", files=[("files", ("", b"# N", "text/markdown"))], timeout=60)
    assert error(nameless) == (422, "invalid_upload", "Each file part needs a file name: Content-Disposition: "
                               'form-data; name="files"; filename="notes.md".')  # fmt: skip
    assert stored(bounded) == before


def test_the_file_limit_stays_within_what_the_form_parser_reads() -> None:
    with pytest.raises(ValueError, match="less than or equal to 1000"):
        Settings(max_upload_files=1001)


def test_more_bytes_than_the_limit_are_refused_before_anything_is_written(bounded: Served) -> None:
    """The API refuses such a body before reading it (tests/ui/test_api.py); the chat page
    hands its files to the same call as the API, which checks their total too."""
    before = stored(bounded)
    big = [("a.md", b"# A\n\n" + b"word " * 2_200_000), ("b.md", b"# B\n\n" + b"word " * 2_200_000)]
    with pytest.raises(UploadTooLargeError) as refused:
        bounded.services.documents.add_files(big)
    assert str(refused.value) == ("This upload holds 21.0 MB of files; the limit is 20 MB per upload. Send fewer or "
                                  "smaller files at a time, or raise ASSISTANT_MAX_UPLOAD_MB.")  # fmt: skip
    assert stored(bounded) == before


def test_a_long_upload_blocks_no_reader_and_a_second_write_gets_503(bounded: Served) -> None:
    url, services = bounded.url, bounded.services
    corpus_doc = httpx.get(f"{url}/v1/documents").json()["documents"][0]
    long_upload: dict[str, httpx.Response] = {}

    def upload() -> None:
        files = [("files", note(i)) for i in range(100)]
        long_upload["response"] = httpx.post(f"{url}/v1/documents?wait=true", files=files, timeout=300)

    writer = threading.Thread(target=upload)
    writer.start()
    deadline = time.monotonic() + 60
    while not services.documents._write_lock.locked():  # the served app's own lock: the upload is writing now
        assert time.monotonic() < deadline and writer.is_alive(), "the upload never took the write lock"
        time.sleep(0.02)

    started = time.monotonic()
    second = httpx.post(f"{url}/v1/documents", files=[("files", note(500))], timeout=30)
    deleted = httpx.delete(f"{url}/v1/documents/{corpus_doc['id']}", timeout=30)
    refused_in = time.monotonic() - started
    second_job = httpx.get(f"{url}/v1/jobs/{second.json()['id']}", timeout=30).json()
    asked = httpx.post(f"{url}/v1/ask", json=QUESTION, timeout=30)
    listed = httpx.get(f"{url}/v1/documents", timeout=30)
    still_writing = writer.is_alive()

    assert (second.status_code, second.json()["status"], second_job["status"]) == (202, "queued", "queued")
    assert error(deleted) == (503, "ingest_in_progress", BUSY)
    assert deleted.headers["retry-after"] == "5"
    assert still_writing, "the upload ended before the other requests were made; make it longer"
    assert refused_in < 5  # the upload queued at once, the delete refused after waiting 0.5 s for the lock
    assert asked.status_code == 200 and "Bill Hagerty" in asked.json()["answer"]
    assert listed.status_code == 200 and corpus_doc in listed.json()["documents"]

    writer.join(timeout=300)
    assert long_upload["response"].status_code == 200 and len(long_upload["response"].json()["added"]) == 100
    services.jobs.wait(second.json()["id"], 120)  # the queued upload ran after the long one
    names = {d["source"].rsplit("/", 1)[-1] for d in httpx.get(f"{url}/v1/documents").json()["documents"]}
    assert {"note-500.md", corpus_doc["source"].rsplit("/", 1)[-1]} <= names
