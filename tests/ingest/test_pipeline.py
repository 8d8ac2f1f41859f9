from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.settings import Settings
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.backends import open_embedder
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder, TokenCounter

from ..helpers import ASSISTANT, CountingEmbedder, snapshot, write_corpus

SEED = "india-us-cooperation-trade-energy-defence.txt"


def make(store: ChromaStore, embedder, counter: TokenCounter) -> Ingestor:
    return Ingestor(store, embedder, Chunker(counter, target_tokens=160))


def test_first_ingest_reports_added_and_counts_chunks(ingestor: Ingestor, corpus: Path) -> None:
    report = ingestor.ingest([corpus])
    assert report.to_json() == {
        "added": [f"corpus/{SEED}"], "updated": [], "unchanged": [], "removed": [], "failed": [], "chunks": 25,
    }  # fmt: skip


def test_unchanged_corpus_embeds_nothing_and_never_loads_the_model(
    store: ChromaStore, embedder: Embedder, counter: TokenCounter, corpus: Path
) -> None:
    make(store, embedder, counter).ingest([corpus])
    before = snapshot(store)
    defaults = Settings()
    cold = open_embedder(defaults.embedding_backend, defaults.model_cache_dir)
    report = make(store, cold, counter).ingest([corpus])
    assert report.unchanged == [f"corpus/{SEED}"] and not report.added and not report.updated
    assert cold.loaded is False
    assert snapshot(store) == before


def test_changed_file_replaces_its_chunks_and_reuses_unchanged_vectors(
    store: ChromaStore, embedder: Embedder, counter: TokenCounter, corpus: Path
) -> None:
    make(store, embedder, counter).ingest([corpus])
    path = corpus / SEED
    path.write_text(path.read_text().replace("Five rounds", "Seven rounds"), encoding="utf-8")
    counting = CountingEmbedder(embedder)
    report = make(store, counting, counter).ingest([corpus])
    assert report.updated == [f"corpus/{SEED}"]
    assert len(counting.texts) == 1 and "Seven rounds" in counting.texts[0]
    texts = [chunk.text for chunk, _ in store.all_chunks()]
    assert any("Seven rounds" in t for t in texts) and not any("Five rounds" in t for t in texts)
    assert store.count() == 25


def test_removed_file_leaves_the_index(ingestor: Ingestor, store: ChromaStore, corpus: Path) -> None:
    (corpus / "extra.md").write_text("# Extra\n\nA note about solar parks in Gujarat.\n", encoding="utf-8")
    ingestor.ingest([corpus])
    assert store.count() == 26
    (corpus / "extra.md").unlink()
    report = ingestor.ingest([corpus])
    assert report.removed == ["corpus/extra.md"] and report.unchanged == [f"corpus/{SEED}"]
    assert store.count() == 25
    assert all("Gujarat" not in chunk.text for chunk, _ in store.all_chunks())


def test_a_bad_file_is_reported_others_ingest_and_nothing_is_lost(
    ingestor: Ingestor, store: ChromaStore, corpus: Path
) -> None:
    note = corpus / "note.txt"
    note.write_text("Solar parks in Gujarat are expanding.\n", encoding="utf-8")
    ingestor.ingest([corpus])
    stored = snapshot(store)
    note.write_bytes(b"caf\xe9 \xfa broken")  # the file goes bad after it was indexed
    (corpus / "bad.pdf").write_bytes(b"%PDF-1.7 garbage")
    (corpus / "new.md").write_text("Wind farms in Tamil Nadu.\n", encoding="utf-8")
    (corpus / "image.png").write_bytes(b"\x89PNG")
    report = ingestor.ingest([corpus])
    assert report.added == ["corpus/new.md"]
    assert [f["source"] for f in report.failed] == ["corpus/bad.pdf", "corpus/note.txt"]
    assert report.failed[0]["error"].startswith("bad.pdf: not a readable PDF")
    assert report.skipped == ["corpus/image.png"]
    assert not report.ok
    # The old chunks of note.txt are still there, untouched.
    assert set(stored[0]) <= set(snapshot(store)[0])


def test_missing_path_is_a_failure(ingestor: Ingestor, tmp_path: Path) -> None:
    report = ingestor.ingest([tmp_path / "nowhere"])
    assert report.failed == [
        {"source": str(tmp_path / "nowhere"), "error": f"{tmp_path / 'nowhere'}: no such file or folder"}
    ]


def test_crash_mid_ingest_then_rerun_converges_to_a_clean_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Embedder, counter: TokenCounter
) -> None:
    import ingest.pipeline

    monkeypatch.setattr(ingest.pipeline, "EMBED_GROUP_CHUNKS", 8)  # several groups, so the crash lands mid-way
    corpus = tmp_path / "many"
    write_corpus(corpus, documents=12)
    with ChromaStore.embedded(tmp_path / "clean") as clean:
        make(clean, embedder, counter).ingest([corpus])
        expected = snapshot(clean)
    with ChromaStore.embedded(tmp_path / "crashy") as crashy:
        with pytest.raises(RuntimeError, match="simulated crash"):
            make(crashy, CountingEmbedder(embedder, fail_after_calls=2), counter).ingest([corpus])
        assert 0 < crashy.count() < len(expected[0])  # some files were written before the crash
        assert snapshot(crashy) != expected
        make(crashy, embedder, counter).ingest([corpus])
        assert snapshot(crashy) == expected


def test_kill_9_at_random_points_then_rerun_converges(tmp_path: Path, embedder, counter: TokenCounter) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, documents=60, paragraphs=8)
    with ChromaStore.embedded(tmp_path / "clean") as clean:
        make(clean, embedder, counter).ingest([corpus])
        expected = snapshot(clean)
    data = tmp_path / "data"
    env = {"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_CHUNK_TOKENS": "160", "PATH": "/usr/bin:/bin"}
    rng = random.Random(7)
    killed = 0
    for _ in range(3):
        process = subprocess.Popen([str(ASSISTANT), "ingest", str(corpus), "--json"], cwd=tmp_path, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(1.0, 2.8))  # a full run takes about 3 s here
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
    final = subprocess.run([str(ASSISTANT), "ingest", str(corpus), "--json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert final.returncode == 0, final.stderr
    assert killed >= 1
    with ChromaStore.embedded(data / "index") as store:
        assert snapshot(store) == expected


def mixed_corpus(folder: Path) -> None:
    """Small documents of every text kind, enough for many embedding groups."""
    write_corpus(folder, documents=12)
    (folder / "part1" / "notes.md").write_text(
        "# Notes\n\nSolar parks in Gujarat.\n\n## Wind\n\n- Tamil Nadu farms\n- Offshore plans\n", encoding="utf-8"
    )
    (folder / "part2" / "page.html").write_text(
        "<html><head><title>Energy page</title></head><body><nav>Home</nav><h1>Energy</h1>"
        "<p>India buys <b>more</b> gas.</p><ul><li>LNG</li><li>Crude</li></ul></body></html>",
        encoding="utf-8",
    )


def ingest_recording(ingestor: Ingestor, corpus: Path) -> tuple[dict, list[tuple[int, int, str]]]:
    calls: list[tuple[int, int, str]] = []
    report = ingestor.ingest([corpus], on_progress=lambda done, total, current: calls.append((done, total, current)))
    return report.to_json(), calls


def vectors(store: ChromaStore) -> dict[str, np.ndarray]:
    ids = sorted(chunk.id for chunk, _ in store.all_chunks())
    return {chunk.id: vector for chunk, vector in store.chunks_by_id(ids)}


@pytest.fixture
def grouped_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mixed corpus, ingested in groups of about 8 chunks: many groups in flight."""
    import ingest.pipeline

    monkeypatch.setattr(ingest.pipeline, "EMBED_GROUP_CHUNKS", 8)
    corpus = tmp_path / "corpus"
    mixed_corpus(corpus)
    return corpus


def test_pipelined_ingest_builds_the_index_the_sequential_order_builds(
    tmp_path: Path, grouped_corpus: Path, embedder: Embedder, counter: TokenCounter
) -> None:
    corpus = grouped_corpus
    with ChromaStore.embedded(tmp_path / "sequential") as one, ChromaStore.embedded(tmp_path / "pipelined") as other:
        sequential = ingest_recording(Ingestor(one, embedder, Chunker(counter, target_tokens=160), depth=0), corpus)
        pipelined = ingest_recording(Ingestor(other, embedder, Chunker(counter, target_tokens=160)), corpus)
        assert pipelined == sequential  # the report, and a progress call per file in the same order
        assert len(sequential[0]["added"]) == 14 and len(sequential[1]) == 15
        assert snapshot(other) == snapshot(one)  # chunk ids, texts, metadata, registry
        assert other.documents() == one.documents()  # titles and sources too
        expected, got = vectors(one), vectors(other)
        assert got.keys() == expected.keys() and len(got) == sequential[0]["chunks"]
        for chunk_id, vector in expected.items():
            np.testing.assert_allclose(got[chunk_id], vector, atol=1e-6)


def test_a_file_failing_to_parse_mid_pipeline_is_reported_and_the_others_are_indexed(
    tmp_path: Path, grouped_corpus: Path, embedder: Embedder, counter: TokenCounter
) -> None:
    corpus = grouped_corpus
    with ChromaStore.embedded(tmp_path / "clean") as clean:
        make(clean, embedder, counter).ingest([corpus])
        expected = snapshot(clean)
    # Sorted among the reports of part1/, so groups are embedding and writing around it.
    (corpus / "part1" / "report-004b.txt").write_bytes(b"caf\xe9 \xfa broken")
    with ChromaStore.embedded(tmp_path / "index") as store:
        report = make(store, embedder, counter).ingest([corpus])
        assert report.failed == [
            {
                "source": "corpus/part1/report-004b.txt",
                "error": "report-004b.txt: not valid UTF-8 (byte 0xe9 at offset 3); save it as UTF-8 and ingest again",
            }
        ]
        assert len(report.added) == 14 and "corpus/part1/report-004b.txt" not in report.added
        assert report.added == sorted(report.added, key=lambda source: Path(source).parts)
        assert snapshot(store) == expected  # every other file, complete, as if the bad one were absent


def test_an_embedding_failure_leaves_what_the_sequential_order_leaves(
    tmp_path: Path, grouped_corpus: Path, embedder: Embedder, counter: TokenCounter
) -> None:
    corpus = grouped_corpus
    left = []
    for depth in (0, 2):
        with ChromaStore.embedded(tmp_path / f"depth-{depth}") as store:
            failing = CountingEmbedder(embedder, fail_after_calls=3)
            with pytest.raises(RuntimeError, match="simulated crash"):
                Ingestor(store, failing, Chunker(counter, target_tokens=160), depth=depth).ingest([corpus])
            left.append(snapshot(store))
    assert left[1] == left[0]  # the first three groups written, nothing of the fourth or later
    chunks, registry = left[0]
    assert chunks and all(complete for *_, complete in registry) and 0 < len(registry) < 14
