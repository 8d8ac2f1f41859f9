"""Shared fixtures: the real bundled model (loaded once), real Chroma under tmp_path."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import build_application
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.synonyms import Synonyms
from assistant.word_vectors import WordVectors
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.backends import open_embedder
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder, TokenCounter

from .llm_stub import Reply, StubLLM

# Tests that serve the app, drive a browser, run the CLI in a subprocess, kill
# processes or run campaigns: `make test-fast` leaves them out (`-m "not slow"`).
SLOW_MODULES = {
    "tests/ingest/test_pipeline.py", "tests/ingest/test_state_machine.py",
    "tests/vectorstore/test_server_mode.py", "tests/vectorstore/test_embedding_backends.py",
    "tests/assistant/test_llm.py", "tests/assistant/test_injection.py",
    *(f"tests/ui/test_{name}.py" for name in (
        "accessibility", "api", "cli", "cli_beside_server", "collections_api", "collections_cli", "conversations_api", "conversations_served", "crash_recovery", "hostile", "jobs", "llm_served", "load", "mcp", "mixed_load", "openai_compat",
        "races", "readme", "reconcile", "schema", "server", "server_mode", "web", "web_collections", "web_saved", "web_untrusted",
        "web_upload",
        "wiring", "write_limits",
    )),
}  # fmt: skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(config.rootpath)
    for item in items:
        if item.path.relative_to(root).as_posix() in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
SEED_DOC = CORPUS / "india-us-cooperation-trade-energy-defence.txt"
SEED_QUESTIONS = ROOT / "eval" / "seed_questions.jsonl"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's ASSISTANT_* settings or .env, or writes to data/."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The default backend, loaded once: the model users get."""
    defaults = Settings()
    model = open_embedder(defaults.embedding_backend, defaults.model_cache_dir)
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def word_vectors() -> WordVectors:
    """The model's word-piece table, read once (23 MB)."""
    return WordVectors()


@pytest.fixture(scope="session")
def synonyms() -> Synonyms:
    """WordNet, read once (about a second)."""
    found = Synonyms()
    found.warm_up()
    return found


@pytest.fixture(scope="session")
def counter() -> TokenCounter:
    return TokenCounter()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChromaStore]:
    with ChromaStore.embedded(tmp_path / "index") as opened:
        yield opened


@pytest.fixture
def ingestor(store: ChromaStore, embedder: Embedder, counter: TokenCounter) -> Ingestor:
    return Ingestor(store, embedder, Chunker(counter, target_tokens=160))


@pytest.fixture(scope="session")
def seed_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus ingested once, answered with default settings."""
    data = tmp_path_factory.mktemp("seed")
    settings = Settings(data_dir=data, corpus_dir=CORPUS)
    assistant = build_application(settings, embedder=embedder).assistant
    Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([CORPUS])
    yield assistant
    assistant.close()


@pytest.fixture(scope="session")
def seed_questions() -> list[dict]:
    return [json.loads(line) for line in SEED_QUESTIONS.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def _stub_server() -> Iterator[StubLLM]:
    stub = StubLLM().start()
    yield stub
    stub.stop()


@pytest.fixture
def llm_stub(_stub_server: StubLLM) -> StubLLM:
    """The OpenAI-compatible stub, with a fresh script and request log for each test."""
    _stub_server.requests.clear()
    _stub_server.sent = 0
    _stub_server.responder = lambda body: Reply("I could not find the answer to that in the indexed documents.")
    return _stub_server
