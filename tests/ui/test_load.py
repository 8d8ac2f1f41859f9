"""A few seconds of the load test in the suite (`make reliability` runs the full minute)."""

from __future__ import annotations

import asyncio

import httpx

from reliability.load_test import drive

from .conftest import Served


def test_short_mixed_load_has_no_errors(served: Served) -> None:
    result = asyncio.run(drive(served.url, clients=4, seconds=4, upload_every_s=1.0))
    assert result["errors"] == 0
    assert result["ask_count"] > 10 and result["stream_count"] > 0 and result["upload_count"] >= 3
    # The uploads went in and can be found; clean them up for the other tests of this module.
    listed = httpx.get(f"{served.url}/v1/documents").json()["documents"]
    notes = [d for d in listed if "/uploads/load-" in d["source"]]
    assert len(notes) == result["upload_count"]
    for note in notes:
        assert httpx.delete(f"{served.url}/v1/documents/{note['id']}").status_code == 200
