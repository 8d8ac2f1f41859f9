"""A bad upload through the served API changes nothing stored: not the file on disk,
not the index. Checked against the real server, store and model."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import Settings

from ..conftest import CORPUS
from ..helpers import snapshot
from .conftest import Served, serve

GOOD = b"# Solar\n\nThe Khavda solar park in Gujarat will produce 30 GW of power by 2029.\n"
QUESTION = {"question": "How much power will the Khavda park produce?"}


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """An app whose index holds one uploaded file, notes.md."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("uploads"), corpus_dir=CORPUS)
    for served in serve(settings, embedder, ingest=False):
        response = httpx.post(
            f"{served.url}/v1/documents?wait=true", files=[("files", ("notes.md", GOOD, "text/markdown"))]
        )
        assert response.status_code == 200 and len(response.json()["added"]) == 1
        yield served


def upload(served: Served, *files: tuple[str, bytes]) -> httpx.Response:
    return httpx.post(f"{served.url}/v1/documents?wait=true", files=[("files", (n, c, "text/markdown")) for n, c in files],
                      timeout=60)  # fmt: skip


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("notes.md", b"# Wind\n\nA new text."), ("notes.md", b"# Tide\n\nAnother text.")],
         "notes.md is named twice in this upload; send each file once."),
        ([("fresh.md", b"# Fresh\n\nSome text."), ("sub/notes.md", b"Text."), ("other/notes.md", b"More.")],
         "notes.md is named twice in this upload; send each file once."),
        ([("notes.md", b"# Only\n\n## Headings\n")], "notes.md: only headings, no text to index"),
        ([("fresh.md", b"# Fresh\n\nSome text."), ("notes.md", b"# Only\n\n## Headings\n")],
         "notes.md: only headings, no text to index"),
    ],
    ids=["same-name-twice", "same-name-from-two-folders", "headings-only", "headings-only-beside-a-good-file"],
)  # fmt: skip
def test_a_bad_upload_leaves_disk_and_index_as_they_were(stored: Served, files: list, message: str) -> None:
    folder = stored.services.settings.upload_dir
    before_disk = {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}
    before_index = snapshot(stored.services.assistant.store)
    response = upload(stored, *files)
    assert (response.status_code, response.json()["error"]) == (422, {
        "message": message, "type": "invalid_request_error", "code": "invalid_upload", "param": None})  # fmt: skip
    assert {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")} == before_disk
    assert snapshot(stored.services.assistant.store) == before_index
    answer = httpx.post(f"{stored.url}/v1/ask", json=QUESTION, timeout=60).json()
    assert "30 GW" in answer["answer"]
