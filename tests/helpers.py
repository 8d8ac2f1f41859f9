"""Small helpers shared by tests (no fixtures here)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from assistant.app import build_application
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder, TokenCounter

ASSISTANT = Path(sys.executable).parent / "assistant"
CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_serve(
    folder: Path, port: int, *options: str, settings: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """A real `assistant serve` over ``folder``/data, started in ``folder``, once `/readyz`
    answers 200; its output is piped (read it with ``communicate``); the caller stops it.
    ``settings`` are more ``ASSISTANT_*`` variables for it."""
    import httpx

    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["ASSISTANT_DATA_DIR"] = str(folder / "data")
    env.update(settings or {})
    server = subprocess.Popen([str(ASSISTANT), "serve", "--port", str(port), *options], cwd=folder, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline and server.poll() is None, "assistant serve did not become ready"
        time.sleep(0.3)


def start_chroma(folder: Path, port: int) -> subprocess.Popen:
    """A real `chroma run` on 127.0.0.1, ready to answer; the caller stops it."""
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    server = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).read()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("chroma run did not start")
            time.sleep(0.2)


def snapshot(store: ChromaStore) -> tuple[list[tuple[str, str, tuple]], list[tuple]]:
    """Everything an index holds, in a comparable form (chunks and registry)."""
    chunks = sorted(
        (chunk.id, chunk.text, (path, chunk.source, chunk.headings, chunk.index, chunk.start, chunk.end, chunk.page))
        for chunk, path in store.all_chunks()
    )
    registry = sorted((r.path, r.file_hash, r.chunks, r.complete) for r in store.documents().values())
    return chunks, registry


def run_cli(
    *args: str,
    data_dir: Path,
    cwd: Path,
    stdin: str | None = None,
    timeout: float = 120,
    settings: dict[str, str] | None = None,
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["ASSISTANT_DATA_DIR"] = str(data_dir)
    env["ASSISTANT_CORPUS_DIR"] = str(cwd / "corpus")
    env.update(settings or {})
    return subprocess.run(
        [str(ASSISTANT), *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=timeout
    )


class CountingEmbedder:
    """The real embedder behind a counter: how many texts did ingestion embed?"""

    def __init__(self, inner, fail_after_calls: int | None = None):
        self.inner = inner
        self.texts: list[str] = []
        self.calls = 0
        self.fail_after_calls = fail_after_calls

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model_path(self):
        return self.inner.model_path

    def embed(self, texts: list[str]) -> np.ndarray:
        if self.fail_after_calls is not None and self.calls >= self.fail_after_calls:
            raise RuntimeError("simulated crash while embedding")
        self.calls += 1
        self.texts.extend(texts)
        return self.inner.embed(texts)


def write_corpus(folder: Path, documents: int, paragraphs: int = 6) -> None:
    """A deterministic corpus of varied small documents."""
    topics = ["tariffs", "liquefied gas", "semiconductors", "defence co-production", "critical minerals",
              "shipping lanes", "vaccines", "satellites", "railways", "fertiliser"]  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(documents):
        topic = topics[d % len(topics)]
        lines = [f"Report {d} on {topic}", ""]
        for p in range(paragraphs):
            lines.append(
                f"Paragraph {p} of report {d} explains how {topic} policy number {d * 7 + p} affects region {p % 4}. "
                f"Officials in delegation {d} agreed on step {p} after round {p + d} of talks."
            )
            lines.append("")
        sub = folder / f"part{d % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"report-{d:03d}.txt").write_text("\n".join(lines), encoding="utf-8")


def ingested_assistant(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, documents: dict[str, str], *folders: Path
) -> Assistant:
    """An assistant over ``folders`` and then ``documents`` (file name: text), ingested
    in that order into a new index, as a user would add them; close it when done."""
    data = tmp_path_factory.mktemp("data")
    docs = tmp_path_factory.mktemp("docs")
    for name, text in documents.items():
        (docs / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data)
    assistant = build_application(settings, embedder=embedder).assistant
    ingestor = Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens))
    for folder in [*folders, docs]:
        ingestor.ingest([folder])
    return assistant
