"""Uploads as jobs, against the served app on 127.0.0.1: `POST /v1/documents` answers
202 with a job at once, `GET /v1/jobs/{id}` tells its progress and outcome, questions
and listings are answered while it runs, and `?wait=true` still answers with the
summary (issue 11: large uploads do not block questions)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import Settings

from ..conftest import CORPUS
from ..helpers import snapshot
from .conftest import Served, serve
from .test_write_limits import QUESTION, error, note

SUMMARY_KEYS = ["added", "updated", "unchanged", "removed", "failed", "chunks"]


@pytest.fixture(scope="module")
def jobs_app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("jobs"), corpus_dir=CORPUS, write_wait_s=0.5)
    yield from serve(settings, embedder, ingest=True)


def post(url: str, files: list[tuple[str, bytes, str]], **params: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/documents", files=[("files", f) for f in files], params=params, timeout=300)


def until_ended(url: str, job_id: str, timeout_s: float = 300) -> tuple[dict, list[dict]]:
    """The job's last state, and every state seen while polling it."""
    seen = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        response = httpx.get(f"{url}/v1/jobs/{job_id}", timeout=30)
        assert response.status_code == 200, response.text
        seen.append(response.json())
        if seen[-1]["status"] in ("done", "failed"):
            return seen[-1], seen
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end in {timeout_s} s: {seen[-1]}")


def uploads(served: Served) -> dict[str, bytes]:
    folder = served.services.settings.upload_dir
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def test_an_upload_is_accepted_as_a_job_that_reports_its_outcome(jobs_app: Served) -> None:
    response = post(jobs_app.url, [note(1), note(2)])
    assert response.status_code == 202
    job = response.json()
    assert response.headers["location"] == f"/v1/jobs/{job['id']}"
    assert job["id"].startswith("job_") and job["object"] == "ingest.job"
    assert job["status"] in ("queued", "running") and job["result"] is None and job["error"] is None
    assert job["progress"]["files_total"] == 2

    ended, _ = until_ended(jobs_app.url, job["id"])
    assert ended["status"] == "done" and ended["error"] is None
    assert ended["progress"] == {"files_done": 2, "files_total": 2, "chunks": ended["progress"]["chunks"]}
    assert ended["progress"]["chunks"] >= 2
    result = ended["result"]
    assert list(result) == SUMMARY_KEYS
    assert [a.split("/")[-2:] for a in result["added"]] == [["uploads", "note-001.md"], ["uploads", "note-002.md"]]
    assert result["failed"] == [] and result["chunks"] == 21 + ended["progress"]["chunks"]
    assert ended["started"] >= ended["created"] and ended["finished"] >= ended["started"]
    listed = [d["source"] for d in httpx.get(f"{jobs_app.url}/v1/documents").json()["documents"]]
    assert set(result["added"]) <= set(listed)
    assert job["id"] in [j["id"] for j in httpx.get(f"{jobs_app.url}/v1/jobs").json()["jobs"]]

    # The same upload again, waited for: today's 200 body, nothing changed.
    again = post(jobs_app.url, [note(1), note(2)], wait="true")
    assert again.status_code == 200
    assert again.json() == {"added": [], "updated": [], "unchanged": result["added"], "removed": [], "failed": [],
                            "chunks": result["chunks"]}  # fmt: skip


def test_a_file_with_no_text_fails_its_job_and_changes_nothing(jobs_app: Served) -> None:
    before = uploads(jobs_app), snapshot(jobs_app.services.assistant.store)
    response = post(jobs_app.url, [note(3), ("empty.md", b"# Only\n\n## Headings\n", "text/markdown")])
    assert response.status_code == 202
    ended, _ = until_ended(jobs_app.url, response.json()["id"])
    assert (ended["status"], ended["result"]) == ("failed", None)
    assert ended["error"] == {"code": "invalid_upload", "message": "empty.md: only headings, no text to index"}
    assert ended["progress"]["files_done"] == 0
    assert (uploads(jobs_app), snapshot(jobs_app.services.assistant.store)) == before


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([note(i) for i in range(101)], (422, "too_many_files", "This upload holds 101 files; the limit is 100 per "
                                         "upload. Send them in several uploads, or raise ASSISTANT_MAX_UPLOAD_FILES.")),
        ([note(4), ("note-004.md", b"# Again\n\nOther text.", "text/markdown")],
         (422, "invalid_upload", "note-004.md is named twice in this upload; send each file once.")),
        ([("sheet.xlsx", b"x", "application/octet-stream")],
         (415, "unsupported_file_type", "sheet.xlsx: unsupported file type; supported: .docx, .htm, .html, .markdown, "
                                        ".md, .pdf, .text, .txt")),
    ],
    ids=["too-many-files", "same-name-twice", "unsupported-type"],
)  # fmt: skip
def test_what_a_client_can_fix_is_refused_at_once_with_no_job(jobs_app: Served, files: list, expected: tuple) -> None:
    jobs_before = httpx.get(f"{jobs_app.url}/v1/jobs").json()
    assert error(post(jobs_app.url, files)) == expected
    assert error(post(jobs_app.url, files, wait="true")) == expected
    assert httpx.get(f"{jobs_app.url}/v1/jobs").json() == jobs_before


def test_an_unknown_job_is_404(jobs_app: Served) -> None:
    response = httpx.get(f"{jobs_app.url}/v1/jobs/job_nope")
    assert error(response) == (404, "job_not_found", "No upload job has the id 'job_nope'. Jobs are kept in memory for "
                               "the latest uploads until the server restarts; list them with GET /v1/jobs, and the "
                               "documents with GET /v1/documents.")  # fmt: skip


def test_a_long_job_shows_progress_while_readers_are_answered_and_later_uploads_queue(jobs_app: Served) -> None:
    url = jobs_app.url
    long_job = post(url, [note(i) for i in range(100, 200)])
    assert long_job.status_code == 202
    job_id = long_job.json()["id"]
    polled: dict[str, list[dict]] = {}
    poller = threading.Thread(target=lambda: polled.setdefault("seen", until_ended(url, job_id)[1]))
    poller.start()

    # While it runs: questions and listings answered at once, more uploads queued behind it.
    deadline = time.monotonic() + 60
    while httpx.get(f"{url}/v1/jobs/{job_id}").json()["status"] != "running":
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.02)
    started = time.monotonic()
    asked = httpx.post(f"{url}/v1/ask", json=QUESTION, timeout=30)
    listed = httpx.get(f"{url}/v1/documents", timeout=30)
    read_s = time.monotonic() - started
    queued = [post(url, [note(300 + i)]) for i in range(8)]
    full = post(url, [note(400)])
    running = httpx.get(f"{url}/v1/jobs/{job_id}").json()

    assert running["status"] == "running", "the long job ended before the checks; make it longer"
    assert asked.status_code == 200 and "Bill Hagerty" in asked.json()["answer"]
    assert listed.status_code == 200 and read_s < 10
    assert [(q.status_code, q.json()["status"]) for q in queued] == [(202, "queued")] * 8
    assert error(full) == (503, "ingest_in_progress", "8 uploads are already waiting to be ingested; retry in a few "
                           "seconds.")  # fmt: skip
    assert full.headers["retry-after"] == "5"

    poller.join(timeout=300)
    seen = polled["seen"]
    assert seen[-1]["status"] == "done" and len(seen[-1]["result"]["added"]) == 100
    done_counts = [s["progress"]["files_done"] for s in seen]
    assert done_counts == sorted(done_counts) and done_counts[-1] == 100
    assert any(0 < n < 100 for n in done_counts), "no progress was seen between the start and the end"
    for q in queued:
        ended, _ = until_ended(url, q.json()["id"])
        assert ended["status"] == "done" and len(ended["result"]["added"]) == 1
    # Every job ran alone: each started after the one before it finished.
    jobs = [httpx.get(f"{url}/v1/jobs/{i}").json() for i in [job_id, *(q.json()["id"] for q in queued)]]
    assert all(later["started"] >= earlier["finished"] for earlier, later in itertools.pairwise(jobs))


def test_an_upload_queued_for_a_collection_deleted_meanwhile_stores_nothing(jobs_app: Served) -> None:
    from assistant.collections import collection_folder

    assert httpx.post(f"{jobs_app.url}/v1/collections", json={"name": "racey"}).status_code == 201
    folder = collection_folder(jobs_app.services.settings, "racey")
    # The worker is kept on an upload to default (its write lock held here), so the upload
    # to racey waits in the queue while racey is deleted.
    with jobs_app.services.documents.writing():
        first = post(jobs_app.url, [note(801)]).json()
        queued = post(jobs_app.url, [("r.md", b"# R\n\nThe narwhal count is 77.\n", "text/markdown")],
                      collection="racey").json()  # fmt: skip
        deleted = httpx.delete(f"{jobs_app.url}/v1/collections/racey", timeout=30)
        assert deleted.status_code == 200
    assert until_ended(jobs_app.url, first["id"])[0]["status"] == "done"
    ended, _ = until_ended(jobs_app.url, queued["id"])
    assert (ended["status"], ended["error"]) == ("failed", {"code": "collection_not_found", "message": (
        "The collection 'racey' was deleted before this upload was ingested; nothing of it was stored.")})  # fmt: skip
    assert not folder.exists()
    # Made again, it holds nothing of the upload.
    assert httpx.post(f"{jobs_app.url}/v1/collections", json={"name": "racey"}).status_code == 201
    held = httpx.get(f"{jobs_app.url}/v1/documents", params={"collection": "racey"}).json()
    assert (held["documents"], held["chunks"]) == ([], 0)
