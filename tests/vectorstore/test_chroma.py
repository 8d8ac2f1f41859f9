from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from core.errors import StoreLockedError, StoreUnavailableError
from core.records import Chunk, DocumentRecord
from vectorstore.chroma import EXACT_UP_TO, ChromaStore

HOLDER = """
import sys, time
from pathlib import Path
from vectorstore.chroma import EXACT_UP_TO, ChromaStore
store = ChromaStore.embedded(Path(sys.argv[1]))
print("ready", flush=True)
time.sleep(60)
"""


def chunk(i: int, text: str) -> Chunk:
    return Chunk(f"id{i}", text, "a.txt", "A", ("H",), i, i * 10, i * 10 + len(text), page=i if i % 2 else None)


def test_second_process_fails_fast_with_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        # Loading Chroma (a second or more on a slow machine, once per process) is not the
        # wait this is about: the wait for the lock is.
        importlib.import_module("chromadb")
        started = time.monotonic()
        with pytest.raises(StoreLockedError) as caught:
            ChromaStore.embedded(folder)
        assert time.monotonic() - started < 1.0
        assert str(caught.value) == (
            f"The index at {folder} is in use by another process (pid {holder.pid}). Stop that process, "
            "or run a Chroma server and set ASSISTANT_CHROMA_URL so several processes can share it."
        )
    finally:
        holder.kill()
        holder.wait()
    # A killed owner leaves no stale lock behind.
    with ChromaStore.embedded(folder) as store:
        assert store.count() == 0


def test_round_trip_of_chunks_registry_and_search(store: ChromaStore) -> None:
    chunks = [chunk(i, f"text {i}") for i in range(3)]
    vectors = np.eye(3, 4, dtype=np.float32)
    store.upsert_chunks(chunks, vectors, path="/docs/a.txt", file_hash="h1")
    store.put_document(DocumentRecord("/docs/a.txt", "a.txt", "A", "h1", 3, complete=True))
    assert store.count() == 3
    assert store.chunk_ids("/docs/a.txt") == {"id0", "id1", "id2"}
    hits = store.search(np.array([0, 1, 0, 0], dtype=np.float32), k=2)
    assert hits[0].chunk == chunks[1] and hits[0].score == 1.0
    # The same search without reading the passages: ids and scores only.
    nearest = store.nearest(np.array([0, 1, 0, 0], dtype=np.float32), k=2)
    assert nearest == [(hit.chunk.id, hit.score) for hit in hits] and nearest[0] == ("id1", 1.0)
    assert store.nearest(np.array([0, 1, 0, 0], dtype=np.float32), k=2, paths=[]) == []
    assert store.documents() == {"/docs/a.txt": DocumentRecord("/docs/a.txt", "a.txt", "A", "h1", 3, True)}
    assert store.mentions("text 2") and not store.mentions("Text 2")
    assert set(store.embeddings_for(["id0", "missing"])) == {"id0"}
    # The passage after one in its document, none after the last.
    assert store.chunks_after(chunks[0]) == [chunks[1]] and store.chunks_after(chunks[0], 5) == chunks[1:]
    assert store.chunks_after(chunks[2]) == []
    # A document's opening passages, in its order; files not stored give none.
    assert store.opening_chunks(["/docs/a.txt"]) == chunks[:1]
    assert store.opening_chunks(["/docs/missing.txt", "/docs/a.txt"], 2) == chunks[:2]
    assert store.opening_chunks([]) == []
    store.delete_document("/docs/a.txt")
    assert store.count() == 0 and store.documents() == {}


def test_each_write_changes_the_token_of_the_files_it_touched_and_no_other(store: ChromaStore) -> None:
    vectors = np.eye(3, 4, dtype=np.float32)
    store.upsert_chunks([chunk(0, "a"), chunk(1, "b")], vectors[:2], path="/docs/a.txt", file_hash="h")
    store.upsert_chunks([chunk(2, "c")], vectors[2:], path="/docs/b.txt", file_hash="h")
    first = store.path_versions()
    assert sorted(first) == ["/docs/a.txt", "/docs/b.txt"] and first["/docs/b.txt"] == store.version()
    assert sorted(c.id for c, _ in store.path_chunks(["/docs/a.txt", "/docs/none.txt"])) == ["id0", "id1"]

    store.delete_chunks({"id1"})  # by id: the file is found from the chunk
    second = store.path_versions()
    assert second["/docs/b.txt"] == first["/docs/b.txt"] and second["/docs/a.txt"] != first["/docs/a.txt"]
    assert [(c.id, p) for c, p in store.path_chunks(["/docs/a.txt"])] == [("id0", "/docs/a.txt")]

    store.delete_document("/docs/b.txt")  # a file gone keeps a token: that it changed is news too
    third = store.path_versions()
    assert third["/docs/a.txt"] == second["/docs/a.txt"] and third["/docs/b.txt"] not in (first["/docs/b.txt"],)
    assert list(store.path_chunks(["/docs/b.txt"])) == [] and third["/docs/b.txt"] == store.version()


def test_an_index_written_before_file_tokens_gets_one_per_registered_file(tmp_path: Path) -> None:
    with ChromaStore.embedded(tmp_path / "index") as store:
        store.upsert_chunks([chunk(0, "a")], np.eye(1, 4, dtype=np.float32), path="/docs/a.txt", file_hash="h")
        store.put_document(DocumentRecord("/docs/a.txt", "a.txt", "A", "h", 1, complete=True))
        store._client.delete_collection("assistant-writes")  # as such an index is
    with ChromaStore.embedded(tmp_path / "index") as reopened:
        assert reopened.path_versions() == {"/docs/a.txt": reopened.version()}


def test_writes_are_split_into_batches_the_client_accepts(store: ChromaStore) -> None:
    n = store.max_batch + 7
    chunks = [chunk(i, f"t{i}") for i in range(n)]
    vectors = np.random.default_rng(0).normal(size=(n, 8)).astype(np.float32)
    store.upsert_chunks(chunks, vectors, path="/docs/big.txt", file_hash="h")
    assert store.count() == n
    store.delete_chunks(store.chunk_ids("/docs/big.txt"))
    assert store.count() == 0


def test_unreachable_server_says_how_to_fix_it() -> None:
    with pytest.raises(StoreUnavailableError, match=r"The Chroma server at http://127.0.0.1:9 does not answer"):
        ChromaStore.remote("http://127.0.0.1:9")


def test_malformed_server_url_is_refused() -> None:
    with pytest.raises(ValueError, match="ASSISTANT_CHROMA_URL must look like http://host:8000"):
        ChromaStore.remote("localhost:8000")


NEAREST = """
import json, sys
from pathlib import Path
import numpy as np
from vectorstore.chroma import EXACT_UP_TO, ChromaStore
queries = np.asarray(json.loads(sys.stdin.read()), dtype=np.float32)
with ChromaStore.embedded(Path(sys.argv[1])) as store:
    print(json.dumps([[i for i, _ in store.nearest(q, 40)] for q in queries]))
"""


def test_a_small_collection_is_searched_exactly_in_the_process_that_wrote_it_and_in_any_other(tmp_path: Path) -> None:
    # Chroma rebuilds its approximate graph when a process opens the index, and an
    # approximate search over a graph built anew misses near chunks differently each
    # time: the same question could get other passages after a restart.
    # Spread evenly, the hardest case for the graph: at Chroma's default search breadth
    # about one in fifteen of the 40 nearest is missed.
    rng = np.random.default_rng(7)
    n = 1500
    vectors = rng.normal(size=(n, 384)).astype(np.float32)
    queries = rng.normal(size=(30, 384)).astype(np.float32)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = [[f"id{i}" for i in np.argsort(-(unit @ (q / np.linalg.norm(q))))[:40]] for q in queries]

    folder = tmp_path / "index"
    with ChromaStore.embedded(folder) as store:
        store.upsert_chunks([chunk(i, f"t{i}") for i in range(n)], vectors, path="/docs/a.txt", file_hash="h")
        assert [[i for i, _ in store.nearest(q, 40)] for q in queries] == exact
        store._chunks.modify(configuration={"hnsw": {"ef_search": 100}})  # as an index written before
    root = Path(__file__).resolve().parents[2]
    for _ in range(2):
        found = subprocess.run([sys.executable, "-c", NEAREST, str(folder)], input=json.dumps(queries.tolist()),
                               capture_output=True, text=True, cwd=root)  # fmt: skip
        # The child's own error, should it fail (once seen, exit status 1, on a loaded machine).
        assert found.returncode == 0, found.stderr[-3000:]
        assert json.loads(found.stdout) == exact


def test_a_collection_grown_past_the_exact_size_is_searched_at_a_breadth_near_chromas_default(tmp_path: Path) -> None:
    def breadth(store: ChromaStore) -> int:
        return int(store._chunks.configuration["hnsw"]["ef_search"])

    vectors = np.random.default_rng(0).normal(size=(EXACT_UP_TO + 1, 8)).astype(np.float32)
    with ChromaStore.embedded(tmp_path / "index") as store:
        assert breadth(store) == EXACT_UP_TO
        store.upsert_chunks([chunk(i, "t") for i in range(EXACT_UP_TO + 1)], vectors, path="/a.txt", file_hash="h")
    with ChromaStore.embedded(tmp_path / "index") as store:
        assert breadth(store) == 128
        store.delete_chunks({"id0"})
    with ChromaStore.embedded(tmp_path / "index") as store:
        assert breadth(store) == EXACT_UP_TO
        store._chunks.modify(configuration={"hnsw": {"ef_search": 100}})  # as an index written before
    with ChromaStore.embedded(tmp_path / "index") as store:
        store.upsert_chunks([chunk(0, "t")], vectors[:1], path="/a.txt", file_hash="h")
    with ChromaStore.embedded(tmp_path / "index") as store:
        assert breadth(store) == 128


def test_reads_while_the_same_passages_are_deleted_and_written_again_never_fail(store: ChromaStore) -> None:
    # Chroma can report "Error finding id" for a read that meets a delete of the same ids
    # in flight (about one read in two thousand here): the served app answered 500 then.
    # The race is timing-bound, so this finds it often on the code before, not always.
    chunks = [Chunk(f"c{i}", f"text {i}", "a.txt", "", (), i, 0, 6) for i in range(50)]
    vectors = np.random.default_rng(0).normal(size=(50, 8)).astype(np.float32)
    ids = [c.id for c in chunks]
    store.upsert_chunks(chunks, vectors, path="a.txt", file_hash="h")
    deadline = time.monotonic() + 6.0
    errors: list[str] = []
    reads = 0

    def read() -> None:
        nonlocal reads
        while time.monotonic() < deadline:
            try:
                found = store.chunks_by_id(ids)
                store.nearest(vectors[0], 5)
            except Exception as err:
                errors.append(repr(err))
                continue
            assert {c.id for c, _ in found} <= set(ids)
            reads += 1

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    while time.monotonic() < deadline:
        store.delete_chunks(ids)
        store.upsert_chunks(chunks, vectors, path="a.txt", file_hash="h")
    for thread in readers:
        thread.join()
    assert errors == []
    assert reads > 100
