from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

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
