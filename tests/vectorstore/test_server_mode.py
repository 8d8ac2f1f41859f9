"""Server mode against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.chroma import ChromaStore

from ..conftest import CORPUS
from ..helpers import ASSISTANT, free_port


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(folder), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("chroma run did not start")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_ingest_in_one_process_answer_in_another_while_both_are_open(
    chroma_url: str, embedder, counter, tmp_path: Path
) -> None:
    with ChromaStore.remote(chroma_url, "shared") as store:
        report = Ingestor(store, embedder, Chunker(counter, 160)).ingest([CORPUS])
        assert report.ok and report.chunks == 25
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env.update(ASSISTANT_CHROMA_URL=chroma_url, ASSISTANT_COLLECTION="shared", ASSISTANT_DATA_DIR=str(tmp_path))
        result = subprocess.run(
            [str(ASSISTANT), "ask", "--json", "Which senator from Tennessee did the ambassador meet?"],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        answer = json.loads(result.stdout)
        assert "Bill Hagerty" in answer["answer"]
        assert answer["citations"][0]["source"] == str(CORPUS / "india-us-cooperation-trade-energy-defence.txt")
        # No folder lock in server mode: a second client in this process works too.
        with ChromaStore.remote(chroma_url, "shared") as second:
            assert second.count() == 25
