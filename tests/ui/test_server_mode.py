"""Server mode for real: two `assistant serve` workers and an `assistant ingest`, each its
own process, sharing one `chroma run` server on 127.0.0.1.

What one process writes, the others answer from at once: the ingest's documents, an
upload through one worker, a delete through the other. And the server ends up holding
exactly the index that a clean single-process ingest of the same files builds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest
from openai import OpenAI

from assistant.app import build_application
from assistant.settings import Settings
from vectorstore.chroma import ChromaStore

from ..conftest import CORPUS
from ..helpers import ASSISTANT, free_port, snapshot, start_chroma, write_corpus

COLLECTION = "cluster"
SEED = "corpus/india-us-cooperation-trade-energy-defence.txt"
REPORTS = 24  # generated documents next to the bundled one, so the ingest takes a while
CHUNKS = 45  # what the ingest writes: 21 from the bundled document, 24 from the reports
KEEP = (
    "keep.md",
    b"# Harbour fees\n\nThe Port of Veloria raised its harbour fee to 42 rupees per tonne in March 2024.\n",
)
GONE = ("gone.md", b"# Lighthouse\n\nThe Brannock lighthouse keeper retired after 31 years of service.\n")
VELORIA = "What harbour fee did the Port of Veloria set?"
BRANNOCK = "How many years did the Brannock lighthouse keeper serve?"


@dataclass
class Cluster:
    root: Path  # every process's working folder: corpus/, data/ (uploads), worker logs
    chroma_url: str
    workers: list[str]  # worker A's and worker B's base URLs
    ingest: tuple[int, str, str]  # the ingest's exit status, stdout and stderr


def _env(root: Path, chroma_url: str) -> dict[str, str]:
    """The same settings for every process, as a deployment gives them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_CHROMA_URL=chroma_url, ASSISTANT_COLLECTION=COLLECTION,
               ASSISTANT_DATA_DIR=str(root / "data"), ASSISTANT_CORPUS_DIR=str(root / "corpus"))  # fmt: skip
    return env


def _stop(process: subprocess.Popen) -> None:
    """Stop a process this module started, by its own handle (never by name)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while True:
        if process.poll() is not None:
            pytest.fail(f"worker {url} exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"worker {url} was not ready in time: {log.read_text()[-2000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A Chroma server, then an ingest and two workers started at the same moment."""
    root = tmp_path_factory.mktemp("cluster")
    shutil.copytree(CORPUS, root / "corpus")
    write_corpus(root / "corpus" / "reports", REPORTS)
    chroma_port = free_port()
    chroma = start_chroma(root / "chroma", chroma_port)
    chroma_url = f"http://127.0.0.1:{chroma_port}"
    env = _env(root, chroma_url)
    ports: list[int] = []
    while len(ports) < 2:
        if (port := free_port()) not in ports and port != chroma_port:
            ports.append(port)
    logs = [root / f"worker-{name}.log" for name in "ab"]
    started: list[subprocess.Popen] = []
    try:
        # The workers load their model and open the shared index while the ingest writes it.
        ingest = subprocess.Popen([str(ASSISTANT), "ingest", "--json"], cwd=root, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        started.append(ingest)
        for port, log in zip(ports, logs, strict=True):
            with log.open("w") as sink:
                started.append(subprocess.Popen([str(ASSISTANT), "serve", "--port", str(port)], cwd=root, env=env,
                                                stdout=sink, stderr=subprocess.STDOUT))  # fmt: skip
        out, err = ingest.communicate(timeout=180)
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 120
        for url, process, log in zip(urls, started[1:], logs, strict=True):
            _wait_ready(url, process, log, deadline)
        yield Cluster(root, chroma_url, urls, (ingest.returncode, out, err))
    finally:
        for process in [*started, chroma]:
            _stop(process)


def ask(url: str, question: str) -> dict:
    response = httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def documents(url: str) -> dict:
    response = httpx.get(f"{url}/v1/documents", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_both_workers_answer_from_what_a_separate_ingest_wrote(cluster: Cluster) -> None:
    status, out, err = cluster.ingest
    assert status == 0, err
    reports = sorted(f"corpus/reports/part{d % 3}/report-{d:03d}.txt" for d in range(REPORTS))
    assert json.loads(out) == {
        "added": [SEED, *reports], "updated": [], "unchanged": [], "removed": [], "failed": [], "chunks": CHUNKS,
    }  # fmt: skip
    answers = []
    for url in cluster.workers:
        ready = httpx.get(f"{url}/readyz").json()
        assert ready == {"status": "ready",
                         "checks": {"model_loaded": True, "llm": "not configured", "chunks": CHUNKS, "store": "ok"}}  # fmt: skip
        answer = ask(url, "Which senator from Tennessee did the ambassador meet?")
        assert "Senator Bill Hagerty from Tennessee" in answer["answer"] and answer["abstained"] is False
        assert answer["citations"][0]["source"] == SEED
        report = ask(url, "What did officials in delegation 7 agree on?")
        assert report["answer"].startswith("Officials in delegation 7 agreed on step 0 after round 7 of talks [1].")
        assert report["citations"][0]["source"] == "corpus/reports/part1/report-007.txt"
        answers.append([{k: v for k, v in a.items() if k != "timings_ms"} for a in (answer, report)])
    assert answers[0] == answers[1]  # the two workers answer identically


def test_upload_through_one_worker_is_answered_and_deleted_through_the_other(cluster: Cluster) -> None:
    a, b = cluster.workers
    uploaded = httpx.post(f"{a}/v1/documents?wait=true", files=[("files", KEEP), ("files", GONE)], timeout=60)
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json() == {
        "added": ["data/uploads/keep.md", "data/uploads/gone.md"], "updated": [], "unchanged": [], "removed": [],
        "failed": [], "chunks": CHUNKS + 2,
    }  # fmt: skip

    # Worker B never saw the upload, yet lists it and answers from it at once.
    listed = documents(b)
    by_source = {d["source"]: d for d in listed["documents"]}
    assert listed["chunks"] == CHUNKS + 2 and len(by_source) == REPORTS + 3
    assert (by_source["data/uploads/keep.md"]["title"], by_source["data/uploads/keep.md"]["chunks"]) == (
        "Harbour fees", 1,
    )  # fmt: skip
    veloria = ask(b, VELORIA)
    assert veloria["answer"] == "The Port of Veloria raised its harbour fee to 42 rupees per tonne in March 2024 [1]."
    assert [c["source"] for c in veloria["citations"]] == ["data/uploads/keep.md"]
    reply = OpenAI(base_url=f"{b}/v1", api_key="unused").chat.completions.create(
        model="grounded-assistant", messages=[{"role": "user", "content": BRANNOCK}]
    )
    assert reply.choices[0].message.content.startswith(
        "The Brannock lighthouse keeper retired after 31 years of service [1].\n\nSources:\n[1] data/uploads/gone.md"
    )
    assert [c["source"] for c in reply.model_extra["citations"]] == ["data/uploads/gone.md"]

    # A delete through B: worker A no longer lists it nor answers from it.
    deleted = httpx.delete(f"{b}/v1/documents/{by_source['data/uploads/gone.md']['id']}", timeout=30)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["source"] == "data/uploads/gone.md"
    after = documents(a)
    assert after["chunks"] == CHUNKS + 1
    assert "data/uploads/gone.md" not in {d["source"] for d in after["documents"]}
    for url in (a, b):
        gone = ask(url, BRANNOCK)
        assert (gone["abstained"], gone["citations"]) == (True, [])
        assert ask(url, VELORIA)["citations"][0]["source"] == "data/uploads/keep.md"
    # The workers share the data folder, so the uploaded file left the disk too.
    assert sorted(p.name for p in (cluster.root / "data" / "uploads").glob("*.md")) == ["keep.md"]


def test_concurrent_uploads_of_one_name_through_both_workers(cluster: Cluster) -> None:
    """Workers share the data folder: each upload stages its files apart and writes hold a
    lock across processes, so every request succeeds and the index keeps the last version."""
    from concurrent.futures import ThreadPoolExecutor

    def upload(n: int) -> int:
        body = f"# Shared note\n\nVersion {n} of the shared note sets the quota at {n} tonnes.\n".encode()
        url = cluster.workers[n % 2]
        return httpx.post(
            f"{url}/v1/documents?wait=true", files=[("files", ("same.md", body))], timeout=120
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(upload, range(12)))
    assert statuses == [200] * 12
    on_disk = (cluster.root / "data" / "uploads" / "same.md").read_text(encoding="utf-8")
    with ChromaStore.remote(cluster.chroma_url, COLLECTION) as shared:
        path = str((cluster.root / "data" / "uploads" / "same.md").resolve())
        texts = [chunk.text for chunk, where in shared.all_chunks() if where == path]
        assert texts == [on_disk.split("\n\n", 1)[1].strip()]
        assert shared.documents()[path].complete
    assert not list((cluster.root / "data" / "uploads").glob(".staging*"))


def test_the_server_holds_exactly_what_one_process_builds(
    cluster: Cluster, embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No chunk duplicated, lost or left over: compared with a clean ingest of the same files."""
    monkeypatch.chdir(cluster.root)  # the same working folder, so sources are shown alike
    uploads = sorted((cluster.root / "data" / "uploads").glob("*.md"))
    clean = build_application(
        Settings(data_dir=tmp_path / "clean", corpus_dir=cluster.root / "corpus"), embedder=embedder
    )
    try:
        report = clean.documents.ingestor.ingest([cluster.root / "corpus", *uploads])
        assert report.ok and report.chunks == CHUNKS + len(uploads)
        expected = snapshot(clean.assistant.store)
        with ChromaStore.remote(cluster.chroma_url, COLLECTION) as shared:
            assert shared.count() == CHUNKS + len(uploads)
            assert snapshot(shared) == expected
            ids = [chunk_id for chunk_id, _, _ in expected[0]]
            assert len(set(ids)) == len(ids) == CHUNKS + len(uploads)
            # Each stored vector is its own chunk's: closest to the clean ingest's vector of
            # the same id. (Not equal to it: the int8 model's output shifts slightly with
            # the other texts of its batch, and the batches differ.)
            stored, rebuilt = shared.embeddings_for(ids), clean.assistant.store.embeddings_for(ids)
            theirs, ours = np.stack([stored[i] for i in ids]), np.stack([rebuilt[i] for i in ids])
            similarity = theirs @ ours.T
            assert (similarity.argmax(axis=1) == np.arange(len(ids))).all()
            assert similarity.diagonal().min() > 0.97
            assert all(complete for *_, complete in snapshot(shared)[1])
    finally:
        clean.close()
