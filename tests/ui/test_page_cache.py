"""Files sent to the chat page's upload route and never read are deleted once they are
older than `ASSISTANT_PAGE_CACHE_MAX_AGE_S`: a client cannot fill the disk with them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings

from ..conftest import CORPUS
from .conftest import Served, serve


@pytest.fixture(scope="module")
def short_cache(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("page-cache"), corpus_dir=CORPUS, page_cache_max_age_s=1)
    yield from serve(settings, embedder, ingest=False)


def test_a_file_uploaded_to_the_page_and_never_read_is_deleted_when_old(short_cache: Served) -> None:
    sent = httpx.post(f"{short_cache.url}/gradio_api/upload", files=[("files", ("junk.bin", b"\0" * 4096))], timeout=30)
    [path] = sent.json()
    assert Path(path).read_bytes() == b"\0" * 4096
    deadline = time.monotonic() + 15
    while Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(path).exists()
    assert httpx.get(f"{short_cache.url}/gradio_api/file={path}", timeout=30).status_code in (403, 404)


def test_the_page_cache_keeps_files_an_hour_unless_told() -> None:
    assert Settings().page_cache_max_age_s == 3600
