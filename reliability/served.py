"""A real `assistant serve` over a fresh data folder holding the bundled corpus, as the
load, mixed and slow-client campaigns run it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ASSISTANT = Path(sys.executable).parent / "assistant"


@contextmanager
def ingested_server(port: int, prefix: str, settings: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Ingest the corpus, start the server on ``port`` and yield it once `/readyz` says
    ready (the URL is ``http://127.0.0.1:PORT``); stop it afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=tempfile.mkdtemp(prefix=prefix), **(settings or {}))
    subprocess.run([str(ASSISTANT), "ingest", str(ROOT / "data" / "corpus")], env=env, check=True, capture_output=True)
    server = subprocess.Popen([str(ASSISTANT), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not _ready(f"http://127.0.0.1:{port}"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"assistant serve on port {port} did not become ready")
            time.sleep(0.3)  # also while it answers 503 (loading), not only while it refuses
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False
