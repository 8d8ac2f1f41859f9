"""The passages after a passage, kept while the index is unchanged: a real Chroma store,
the real keyword index."""

from __future__ import annotations

import numpy as np

from assistant.following import FollowingPassages
from assistant.keyword import KeywordIndex
from core.records import Chunk, DocumentRecord
from vectorstore.chroma import ChromaStore


def _write(store: ChromaStore, texts: list[str]) -> list[Chunk]:
    """The file's passages replaced as ingest replaces them."""
    path = "report.txt"
    chunks = [Chunk(f"{i}-{t}", t, path, "Report", ("Why now?",), i, 0, len(t)) for i, t in enumerate(texts)]
    vectors = np.random.default_rng(0).normal(size=(len(chunks), 8)).astype(np.float32)
    store.put_document(DocumentRecord(path, path, "Report", "h", len(chunks), complete=False))
    store.upsert_chunks(chunks, vectors, path=path, file_hash="h")
    store.delete_chunks(store.chunk_ids(path) - {c.id for c in chunks})
    store.put_document(DocumentRecord(path, path, "Report", "h", len(chunks), complete=True))
    return chunks


def _texts(found: list[Chunk]) -> list[str]:
    return [c.text for c in found]


def test_the_passages_after_are_read_once_per_version_of_the_index(store: ChromaStore) -> None:
    lead, *_ = _write(store, ["Several factors are converging:", "1. Trade", "2. Energy"])
    keywords = KeywordIndex(store)
    following = FollowingPassages(store, keywords.version)
    assert following(lead, 2) == store.chunks_after(lead, 2)  # nothing searched yet: read every time
    keywords.search("factors", 3)
    assert _texts(following(lead, 2)) == ["1. Trade", "2. Energy"]

    # Another process rewrites the sections: until a search sees the new version, the
    # passages read for the version searched are kept ...
    _write(store, ["Several factors are converging:", "1. Trade", "2. Defence"])
    assert _texts(following(lead, 2)) == ["1. Trade", "2. Energy"]
    # ... and the next question's search brings the new ones.
    keywords.search("factors", 3)
    assert _texts(following(lead, 2)) == ["1. Trade", "2. Defence"]


def test_a_write_of_this_process_is_seen_before_the_next_search(store: ChromaStore) -> None:
    lead, *_ = _write(store, ["Several factors are converging:", "1. Trade"])
    keywords = KeywordIndex(store)
    following = FollowingPassages(store, keywords.version)
    keywords.search("factors", 3)
    assert _texts(following(lead, 1)) == ["1. Trade"]
    _write(store, ["Several factors are converging:", "1. Energy"])
    keywords.invalidate()  # what an upload through the app does (Assistant.index_changed)
    assert keywords.version() is None
    assert _texts(following(lead, 1)) == ["1. Energy"]
