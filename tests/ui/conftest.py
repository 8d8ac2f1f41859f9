"""The real app served by uvicorn on 127.0.0.1, in a thread, over temp data folders."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from assistant.settings import Settings
from ui.server import build_app
from ui.wiring import Services, open_services

from ..conftest import CORPUS
from ..helpers import free_port


@dataclass
class Served:
    url: str
    services: Services


def serve(settings: Settings, embedder, ingest: bool) -> Iterator[Served]:
    services = open_services(settings, embedder=embedder)
    if ingest:
        assert services.documents.ingestor.ingest([CORPUS]).ok
    port = free_port()
    # A browser's event stream stays open after its test: without a deadline, shutting the
    # server down waits out the join below for it (10 s a browser module).
    config = uvicorn.Config(build_app(services), host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=1)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", services)
    server.should_exit = True
    thread.join(timeout=10)
    services.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """Open app over the bundled corpus."""
    data = tmp_path_factory.mktemp("served")
    yield from serve(Settings(data_dir=data, corpus_dir=CORPUS), embedder, ingest=True)


KEYS = ["key-one", "key-two"]


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """App with API keys, a tiny upload limit and an empty index."""
    data: Path = tmp_path_factory.mktemp("locked")
    settings = Settings(data_dir=data, corpus_dir=CORPUS, api_keys=KEYS, max_upload_mb=0.01,
                        cors_origins=["https://app.example"])  # fmt: skip
    yield from serve(settings, embedder, ingest=False)


@pytest.fixture(scope="module")
def served_llm(tmp_path_factory: pytest.TempPathFactory, embedder, _stub_server) -> Iterator[Served]:
    """App over the bundled corpus answering through the OpenAI-compatible stub."""
    data = tmp_path_factory.mktemp("served-llm")
    settings = Settings(data_dir=data, corpus_dir=CORPUS, llm_base_url=_stub_server.url, llm_model="stub",
                        llm_timeout_s=2)  # fmt: skip
    yield from serve(settings, embedder, ingest=True)


@pytest.fixture(scope="module")
def single_slot(tmp_path_factory: pytest.TempPathFactory, embedder, _stub_server) -> Iterator[Served]:
    """App that answers one /v1 request at a time, through the (slow when told) stub."""
    data = tmp_path_factory.mktemp("single-slot")
    settings = Settings(data_dir=data, corpus_dir=CORPUS, llm_base_url=_stub_server.url, llm_model="stub",
                        llm_timeout_s=5, max_concurrent_requests=1)  # fmt: skip
    yield from serve(settings, embedder, ingest=True)
