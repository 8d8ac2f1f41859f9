"""Server mode against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.keyword import KeywordIndex
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.chroma import ChromaStore

from ..conftest import CORPUS
from ..helpers import ASSISTANT, free_port, start_chroma


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    server = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    yield f"http://127.0.0.1:{port}"
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


def test_api_answers_503_while_the_server_is_down_and_recovers(tmp_path: Path, embedder) -> None:
    import httpx

    from assistant.settings import Settings

    from ..ui.conftest import serve

    port = free_port()
    folder = tmp_path / "chroma"
    server = start_chroma(folder, port)
    settings = Settings(data_dir=tmp_path / "data", chroma_url=f"http://127.0.0.1:{port}", collection="outage")
    served = serve(settings, embedder, ingest=True)
    app = next(served)
    question = {"question": "Which senator from Tennessee did the ambassador meet?"}
    try:
        assert "Bill Hagerty" in httpx.post(f"{app.url}/v1/ask", json=question).json()["answer"]
        server.kill()
        server.wait()
        down = httpx.post(f"{app.url}/v1/ask", json=question, timeout=30)
        assert down.status_code == 503
        assert down.json()["error"]["message"] == (
            f"The Chroma server at http://127.0.0.1:{port} does not answer (ConnectError). Check that it is running "
            "(`chroma run --path DIR --port N`) and that ASSISTANT_CHROMA_URL points to it."
        )
        ready = httpx.get(f"{app.url}/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["store"] == "unreachable (StoreUnavailableError)"
        server = start_chroma(folder, port)  # the same data comes back
        back = httpx.post(f"{app.url}/v1/ask", json=question).json()
        assert "Bill Hagerty" in back["answer"]
        assert httpx.get(f"{app.url}/readyz").status_code == 200
    finally:
        next(served, None)
        server.kill()


def test_keyword_index_sees_a_replacement_written_by_another_client(
    chroma_url: str, embedder, counter, tmp_path: Path
) -> None:
    """Another process replaces a document by one with as many chunks: the count stays,
    yet the keyword index of this process must drop the old terms and find the new."""
    note = tmp_path / "valve.md"
    note.write_text("# Valves\n\nThe Quorvex valve is painted blue.\n", encoding="utf-8")
    with ChromaStore.remote(chroma_url, "keywords") as writer, ChromaStore.remote(chroma_url, "keywords") as reader:
        ingestor = Ingestor(writer, embedder, Chunker(counter, 160))
        assert ingestor.ingest([note]).chunks == 1
        index = KeywordIndex(reader)
        [(old_id, _)] = index.search("Quorvex valve", k=5)
        note.write_text("# Valves\n\nThe Zentrilo valve is painted green.\n", encoding="utf-8")
        assert ingestor.ingest([note]).chunks == 1
        [new_id] = writer.chunk_ids(str(note.resolve()))
        assert new_id != old_id
        assert index.search("Quorvex", k=5) == []
        assert [chunk_id for chunk_id, _ in index.search("Zentrilo valve", k=5)] == [new_id]
