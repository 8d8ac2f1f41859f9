from __future__ import annotations

import numpy as np
import pytest

from assistant.keyword import KeywordIndex
from core.records import Chunk
from vectorstore.chroma import ChromaStore

TEXTS = [
    "India’s Ambassador Kwatra met Senator Bill Hagerty of Tennessee in Washington.",
    "The U.S.-India COMPACT covers LNG, F-414 engines and a 2030 trade target of $500bn.",
]


def _write(store: ChromaStore, path: str, texts: list[str]) -> None:
    chunks = [Chunk(f"{path}-{i}", t, path, "", (), i, 0, len(t)) for i, t in enumerate(texts)]
    vectors = np.random.default_rng(0).normal(size=(len(chunks), 8)).astype(np.float32)
    store.upsert_chunks(chunks, vectors, path=path, file_hash="h")


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


def test_saved_index_is_loaded_by_a_new_process_until_the_store_changes(store: ChromaStore, tmp_path) -> None:
    _write(store, "a.txt", TEXTS)
    cache = tmp_path / "keywords"
    built = KeywordIndex(store, cache)
    expected = built.search("Tennessee senator", 2)
    version = store.version()
    assert [p.name for p in cache.iterdir()] == [version]
    assert sorted(p.name for p in (cache / version).iterdir()) == ["bm25", "ids.json", "runs.txt"]

    loaded = KeywordIndex(store, cache)
    assert loaded._load(version) is not None
    assert loaded.search("Tennessee senator", 2) == expected
    assert loaded.mentions("Hagerty") and not loaded.mentions("Lockheed")

    _write(store, "b.txt", ["Lockheed Martin builds the F-21 in India."])
    assert loaded.mentions("Lockheed")  # the new version is built, saved, and the old one dropped
    assert [p.name for p in cache.iterdir()] == [store.version()] != [version]


def test_damaged_saved_index_is_rebuilt(store: ChromaStore, tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    _write(store, "a.txt", TEXTS)
    cache = tmp_path / "keywords"
    expected = KeywordIndex(store, cache).search("LNG engines", 2)
    for array in (cache / store.version() / "bm25").glob("*.npy"):
        array.write_bytes(b"not an array")
    fresh = KeywordIndex(store, cache)
    assert fresh.search("LNG engines", 2) == expected
    assert "ignoring the saved keyword index" in caplog.text
    assert KeywordIndex(store, cache)._load(store.version()) is not None  # saved again, whole
