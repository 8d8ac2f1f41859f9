"""Schemathesis against the app's own OpenAPI schema: no 5xx, responses match the schema."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings

from ..conftest import CORPUS
from .conftest import Served, serve


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """Its own app and index: the fuzzer uploads and deletes documents at will."""
    data = tmp_path_factory.mktemp("fuzzed")
    yield from serve(Settings(data_dir=data, corpus_dir=CORPUS, max_upload_mb=1), embedder, ingest=True)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(fuzzed: Served, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "run", f"{fuzzed.url}/openapi.json",
         "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance",
         "--max-examples", "100", "--mode", "all", "--seed", "1", "--no-color",
         # Readiness is 503 by design while the fuzzer has deleted every document.
         "--exclude-path", "/readyz"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Tested: 21" in result.stdout, result.stdout[-2000:]
    generated, passed = map(int, re.search(r"(\d+) generated, (\d+) passed", result.stdout).groups())
    assert generated == passed and generated >= 21 * 100
