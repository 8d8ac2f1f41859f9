"""Server mode against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.keyword import KeywordIndex
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.chroma import ChromaStore

from ..conftest import CORPUS
from ..helpers import ASSISTANT, free_port, start_chroma, write_corpus


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


def _shard_env(chroma_url: str, data: Path, collection: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_CHROMA_URL=chroma_url, ASSISTANT_COLLECTION=collection, ASSISTANT_DATA_DIR=str(data))
    return env


def _index(store: ChromaStore) -> tuple[dict[str, tuple[str, int, bool]], dict[str, str]]:
    """The registry (hash, chunks, complete per path) and every chunk's text by id."""
    registry = {path: (r.file_hash, r.chunks, r.complete) for path, r in store.documents().items()}
    return registry, {chunk.id: chunk.text for chunk, _ in store.all_chunks()}


def test_shards_in_parallel_build_the_index_one_process_builds(chroma_url: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 12)
    (docs / "notes.xyz").write_text("not a document type", encoding="utf-8")

    def start(i: int) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(ASSISTANT), "ingest", "--json", "--shard", f"{i}/2", str(docs), str(CORPUS)],
            env=_shard_env(chroma_url, tmp_path / f"data{i}", "sharded"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    shards = [start(1), start(2)]
    outputs = [shard.communicate(timeout=300) for shard in shards]
    reports = [json.loads(out) for out, _ in outputs]
    # The file of no supported type is said once, by the shard that owns it.
    assert sum(error.count("skipped (unsupported type)") for _, error in outputs) == 1
    assert [shard.returncode for shard in shards] == [0, 0]
    added = [sorted(report["added"]) for report in reports]
    assert added[0] and added[1] and not set(added[0]) & set(added[1])  # each file by one shard
    alone = subprocess.run([str(ASSISTANT), "ingest", "--json", str(docs), str(CORPUS)],
                           env=_shard_env(chroma_url, tmp_path / "data0", "single"), capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert alone.returncode == 0, alone.stderr
    one = json.loads(alone.stdout)
    with ChromaStore.remote(chroma_url, "sharded") as sharded, ChromaStore.remote(chroma_url, "single") as single:
        assert sorted(one["added"]) == sorted(added[0] + added[1])
        assert _index(sharded) == _index(single) and sharded.count() == single.count() == one["chunks"]
        ids = sorted(_index(single)[1])
        mine = np.stack([v for _, v in sorted(sharded.chunks_by_id(ids), key=lambda p: p[0].id)])
        theirs = np.stack([v for _, v in sorted(single.chunks_by_id(ids), key=lambda p: p[0].id)])
        # The same vectors but for int8 rounding: dynamic quantisation scales each batch by
        # its own range, and the shards batch other chunks together (measured >= 0.996).
        assert float(np.min(np.sum(mine * theirs, axis=1))) > 0.99
        # A shard run again writes nothing new: content-hash ids make it harmless.
        again = subprocess.run([str(ASSISTANT), "ingest", "--json", "--shard", "1/2", str(docs), str(CORPUS)],
                               env=_shard_env(chroma_url, tmp_path / "data1", "sharded"), capture_output=True,
                               text=True, timeout=300)  # fmt: skip
        assert again.returncode == 0, again.stderr
        rerun = json.loads(again.stdout)
        assert (rerun["added"], rerun["updated"], sorted(rerun["unchanged"])) == ([], [], added[0])
        assert _index(sharded) == _index(single)


def test_a_shard_another_process_holds_is_refused_on_any_machine(chroma_url: str, tmp_path: Path) -> None:
    with ChromaStore.remote(chroma_url, "leased") as store:
        assert store.take_lease("ingest-shard-1-of-2", "elsewhere:1:a", 60, settle_s=0.1)
        assert not store.take_lease("ingest-shard-1-of-2", "here:2:b", 60, settle_s=0.1)
        busy = subprocess.run([str(ASSISTANT), "ingest", "--shard", "1/2", str(CORPUS)],
                              env=_shard_env(chroma_url, tmp_path, "leased"), capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        assert busy.returncode == 1 and store.count() == 0
        assert ("Shard 1/2 is being ingested by another process; wait for it to finish (or for its lease to expire, "
                "if it was killed), or run another shard.") in " ".join(busy.stderr.split())  # fmt: skip
        store.release_lease("ingest-shard-1-of-2", "elsewhere:1:a")
        assert store.take_lease("ingest-shard-1-of-2", "here:2:b", 60, settle_s=0.1)
        store.release_lease("ingest-shard-1-of-2", "here:2:b")


@pytest.mark.parametrize(
    ("shard", "url", "message"),
    [
        ("1/2", None, "--shard splits the files among processes that write to one Chroma server"),
        ("3/2", "http://127.0.0.1:9", "--shard takes I/N with 1 <= I <= N, e.g. 2/4 (got '3/2')"),
    ],
)
def test_a_shard_without_a_chroma_server_or_out_of_range_is_refused(
    shard: str, url: str | None, message: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(tmp_path), **({"ASSISTANT_CHROMA_URL": url} if url else {}))
    result = subprocess.run([str(ASSISTANT), "ingest", "--shard", shard, str(CORPUS)], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2 and message in " ".join(result.stderr.replace("│", " ").split())  # rich's box
    assert not (tmp_path / "index").exists()
