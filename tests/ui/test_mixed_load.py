"""A few seconds of `reliability/mixed_campaign.py` in the suite (`make reliability`
runs 16 clients for a minute): clients mixing uploads (as jobs), deletes, questions and
streamed chat on keep-alive connections get no 5xx but 503 with `Retry-After`, drop no
connection, and the listing ends with exactly the documents uploaded and not deleted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.settings import Settings
from reliability.mixed_campaign import mix

from ..conftest import CORPUS
from .conftest import Served, serve


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    yield from serve(Settings(data_dir=tmp_path_factory.mktemp("mixed"), corpus_dir=CORPUS), embedder, ingest=True)


def test_short_mix_of_writers_and_readers(mixed: Served) -> None:
    result = mix(mixed.url, clients=6, seconds=6)
    assert result["first_problems"] == [] and result["problems"] == 0
    assert (result["server_errors"], result["dropped"], result["listing_matches"]) == (0, 0, True)
    assert result["ask_requests"] > 5 and result["stream_requests"] > 2
    assert result["jobs_done"] >= 2 and result["jobs_not_done"] == 0
