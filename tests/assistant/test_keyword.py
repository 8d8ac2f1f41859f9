from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.keyword import KeywordIndex, one_question
from core.records import Chunk, DocumentRecord
from vectorstore.chroma import ChromaStore

TEXTS = [
    "India’s Ambassador Kwatra met Senator Bill Hagerty of Tennessee in Washington.",
    "The U.S.-India COMPACT covers LNG, F-414 engines and a 2030 trade target of $500bn.",
]


def _write(store: ChromaStore, path: str, texts: list[str], title: str = "") -> None:
    """A file's chunks replaced as ingest replaces them: new ones written, stale ones deleted."""
    chunks = [Chunk(f"{path}-{i}-{t}", t, path, title, (), i, 0, len(t)) for i, t in enumerate(texts)]
    vectors = np.random.default_rng(0).normal(size=(len(chunks), 8)).astype(np.float32)
    store.put_document(DocumentRecord(path, path, title, "h", len(chunks), complete=False))
    store.upsert_chunks(chunks, vectors, path=path, file_hash="h")
    store.delete_chunks(store.chunk_ids(path) - {c.id for c in chunks})
    store.put_document(DocumentRecord(path, path, title, "h", len(chunks), complete=True))


@pytest.mark.parametrize(
    "text",
    ["Kwatra", "Kwat", "watr", "kwatra", "Tennessee", "Tenn", "Russi", "India", "Indi", "U", "COMPACT", "F", "414",
     "2030", "500bn", "LNG", "Hagerty", "Washingtonian", "US", "Bill"],
)  # fmt: skip
def test_mentions_from_memory_agrees_with_the_store(store: ChromaStore, text: str) -> None:
    _write(store, "a.txt", TEXTS)
    assert KeywordIndex(store).mentions(text) == store.mentions(text)


def test_mentions_follows_writes_and_passes_other_texts_to_the_store(store: ChromaStore) -> None:
    _write(store, "a.txt", TEXTS[:1])
    index = KeywordIndex(store)
    assert not index.mentions("COMPACT")
    _write(store, "b.txt", TEXTS[1:])
    assert index.mentions("COMPACT")
    assert index.mentions("U.S.-India") and not index.mentions("U.S. India")


def test_one_question_reads_the_store_s_version_once(store: ChromaStore) -> None:
    # A question asks the index several times; on a Chroma server each version check is a
    # request. Within one question the snapshot first read answers, in the threads it
    # starts too; the next question sees what another process wrote meanwhile.
    _write(store, "a.txt", TEXTS[:1])
    index = KeywordIndex(store)
    with one_question():
        assert index.search("Kwatra", 1)[0][0].startswith("a.txt-0-")
        _write(store, "b.txt", TEXTS[1:])  # as another process writes: no invalidate()
        assert index.mentions("COMPACT") is False
        in_thread = ThreadPoolExecutor(1).submit(copy_context().run, index.mentions, "COMPACT").result()
        assert in_thread is False
    assert index.mentions("COMPACT") is True
    with one_question():
        assert index.mentions("COMPACT") is True
        _write(store, "c.txt", ["Solar parks near Pune."])
        index.invalidate()  # a write of this process is seen at once
        assert index.mentions("Pune") is True


def _files(store: ChromaStore, count: int) -> None:
    for n in range(count):
        _write(store, f"f{n}.txt", [f"{TEXTS[n % 2]} Part {n}.", f"Solar parks near Pune, section {n}."])


def test_the_first_question_after_a_one_file_write_reads_only_that_file(store: ChromaStore) -> None:
    _files(store, 6)
    index = KeywordIndex(store)
    assert index.search("Pune solar", 3)[0][0] == "f0.txt-1-Solar parks near Pune, section 0."
    assert (index.full_builds, index.tokenised) == (1, 12)

    _write(store, "new.txt", ["Lockheed Martin builds the F-21 in Pune.", "Solar Pune Pune."])
    found = index.search("Pune solar", 3)
    assert found[0][0] == "new.txt-1-Solar Pune Pune." and found == KeywordIndex(store).search("Pune solar", 3)
    assert (index.full_builds, index.tokenised) == (1, 14)  # the two new chunks, nothing else
    assert index.mentions("Lockheed")

    _write(store, "f3.txt", ["Only wind here."], title="Replaced")  # a file rewritten: its one chunk
    store.delete_document("f4.txt")  # a file deleted: nothing to read
    found = index.search("wind replaced", 5)
    assert [i for i, _ in found] == ["f3.txt-0-Only wind here."] and found == KeywordIndex(store).search(
        "wind replaced", 5
    )
    assert index.search("section 4", 20) == KeywordIndex(store).search("section 4", 20)
    assert not any(chunk_id.startswith("f4.txt") for chunk_id, _ in index.search("section 4", 20))
    assert (index.full_builds, index.tokenised) == (1, 15)


def test_many_changed_files_are_applied_in_the_background_meanwhile_questions_use_the_last_index(
    store: ChromaStore,
) -> None:
    _files(store, 4)
    index = KeywordIndex(store, inline_files=2)
    before = index.search("Lockheed", 5)
    assert before == []
    for n in range(3):
        _write(store, f"more{n}.txt", [f"Lockheed {n}"])
    assert index.search("Lockheed", 5) == before  # the update runs beside this question
    index.settle()
    assert [i for i, _ in index.search("Lockheed", 5)] == ["more0.txt-0-Lockheed 0", "more1.txt-0-Lockheed 1",
                                                           "more2.txt-0-Lockheed 2"]  # fmt: skip
    assert (index.full_builds, index.tokenised) == (1, 11)


def test_warm_up_applies_every_change_before_it_returns(store: ChromaStore) -> None:
    # A server warms up after reconciling what a killed one left: its first question
    # must see those files, however many, not an index still being updated.
    _files(store, 4)
    index = KeywordIndex(store, inline_files=2)
    assert index.search("Raytheon", 5) == []
    for n in range(3):
        _write(store, f"late{n}.txt", [f"Raytheon {n}"])
    index.invalidate()
    index.warm_up()
    assert [i for i, _ in index.search("Raytheon", 5)] == ["late0.txt-0-Raytheon 0", "late1.txt-0-Raytheon 1",
                                                            "late2.txt-0-Raytheon 2"]  # fmt: skip


paths = st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt"])
passages = st.lists(st.sampled_from(["Solar", "parks", "Pune", "Kwatra", "F-414", "grid", "the", "2030"]),
                    max_size=6).map(" ".join)  # fmt: skip


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(paths, st.none() | st.lists(passages, min_size=1, max_size=3)), min_size=1, max_size=8))
def test_writes_and_deletes_in_the_store_give_what_a_build_from_scratch_gives(
    store: ChromaStore, ops: list[tuple[str, list[str] | None]]
) -> None:
    for path in ("a.txt", "b.txt", "c.txt", "d.txt"):
        store.delete_document(path)  # every example starts from an empty store
    index = KeywordIndex(store)
    assert index.search("solar", 5) == []
    for path, texts in ops:
        if texts is None:
            store.delete_document(path)
        else:
            _write(store, path, texts)
        scratch = KeywordIndex(store)
        for query in ("solar parks", "Pune grid 2030", "kwatra F-414", "parks parks"):
            assert index.search(query, 4) == scratch.search(query, 4), query
        for probe in ("Sol", "Pune", "414", "Kwatra", "030", "Wind"):
            assert index.mentions(probe) == scratch.mentions(probe), probe
    assert index.full_builds == 1


def test_a_saved_index_is_loaded_by_a_new_process_which_reads_only_what_changed(
    store: ChromaStore, tmp_path: Path
) -> None:
    _files(store, 5)
    cache = tmp_path / "keywords"
    built = KeywordIndex(store, cache)
    expected = built.search("Tennessee senator", 2)
    version = store.version()
    assert sorted(p.name for p in cache.iterdir()) == sorted(["pieces", version])
    assert sorted(p.name for p in (cache / version).iterdir()) == ["manifest.json"]

    loaded = KeywordIndex(store, cache)
    assert loaded.search("Tennessee senator", 2) == expected
    assert loaded.mentions("Hagerty") and not loaded.mentions("Lockheed")
    assert (loaded.full_builds, loaded.tokenised) == (0, 0)

    _write(store, "f1.txt", ["Lockheed Martin builds the F-21 in India."])
    later = KeywordIndex(store, cache)  # a process started after the write: the saved index and one file
    assert later.mentions("Lockheed") and later.search("Lockheed", 3) == KeywordIndex(store).search("Lockheed", 3)
    assert (later.full_builds, later.tokenised) == (0, 1)
    assert sorted(p.name for p in cache.iterdir()) == sorted(["pieces", store.version()])
    assert sorted(p.name for p in (cache / store.version()).iterdir()) == ["live-0.npy", "manifest.json", "runs-0.npy"]
    assert len(list((cache / "pieces").iterdir())) == 2  # the first build and the one-file piece


def test_a_built_or_loaded_index_with_a_cache_folder_reads_its_arrays_from_the_saved_files(
    store: ChromaStore, tmp_path: Path
) -> None:
    # Mapped, the pages are the operating system's: shared by the workers that load the
    # same copy, and dropped under memory pressure rather than held by each process.
    _files(store, 5)
    cache = tmp_path / "keywords"
    for index in (KeywordIndex(store, cache), KeywordIndex(store, cache)):
        index.warm_up()
        segment = index._current().index.segments[0]
        assert [type(getattr(segment, name)) for name in ("term_rows", "term_tf", "run_ids", "ids")] == [np.memmap] * 4
        assert segment.term_tf.dtype == np.uint8  # a term count below 256 takes one byte
        assert index.search("Tennessee senator", 2) == KeywordIndex(store).search("Tennessee senator", 2)
    in_memory = KeywordIndex(store)
    in_memory.warm_up()
    assert not isinstance(in_memory._current().index.segments[0].term_rows, np.memmap)


def test_damaged_saved_index_is_rebuilt(store: ChromaStore, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _files(store, 3)
    cache = tmp_path / "keywords"
    expected = KeywordIndex(store, cache).search("LNG engines", 2)
    for array in (cache / "pieces").glob("*/*.npy"):
        array.write_bytes(b"not an array")
    fresh = KeywordIndex(store, cache)
    assert fresh.search("LNG engines", 2) == expected
    assert fresh.full_builds == 1
    assert "ignoring the saved keyword index" in caplog.text
    again = KeywordIndex(store, cache)
    assert again.search("LNG engines", 2) == expected and again.full_builds == 0  # saved again, whole
