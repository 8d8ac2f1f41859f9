"""The passages after a passage, kept while the index is unchanged, and what they tell
the answerer: a real Chroma store, the real keyword index."""

from __future__ import annotations

import numpy as np

from assistant.extractive import ExtractiveAnswerer
from assistant.following import FollowingPassages
from assistant.keyword import KeywordIndex
from assistant.word_vectors import WordVectors
from core.records import Chunk, DocumentRecord, Hit
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


def test_while_an_update_is_still_to_land_the_store_is_read(store: ChromaStore) -> None:
    lead, *_ = _write(store, ["Several factors are converging:", "1. Trade"])
    keywords = KeywordIndex(store, inline_files=0)  # every change applied in the background
    following = FollowingPassages(store, keywords.version)
    keywords.warm_up()
    keywords.search("factors", 3)
    assert _texts(following(lead, 1)) == ["1. Trade"]
    _write(store, ["Several factors are converging:", "1. Energy"])
    keywords.search("factors", 3)  # sees the write and hands the update to a thread
    assert _texts(following(lead, 1)) == ["1. Energy"]  # whether or not it has landed
    keywords.settle()
    keywords.search("factors", 3)
    assert keywords.version() == store.version()
    assert _texts(following(lead, 1)) == ["1. Energy"]


def test_a_passage_going_on_a_section_opens_nothing_though_the_first_is_not_retrieved(
    store: ChromaStore, word_vectors: WordVectors
) -> None:
    headings = ("Chapter 7. Basics", "7.1. What is a Debian package?")
    texts = [
        "Packages generally contain all of the files necessary to implement a set of related commands.",
        "The control file also lists the maintainer and the version. "
        "A package of this kind is an archive holding the files of one program.",
    ]
    chunks = [Chunk(f"p{i}", t, "faq.txt", "FAQ", headings, i, 0, len(t)) for i, t in enumerate(texts)]
    vectors = np.random.default_rng(0).normal(size=(2, 8)).astype(np.float32)
    store.put_document(DocumentRecord("faq.txt", "faq.txt", "FAQ", "h", 2, complete=True))
    store.upsert_chunks(chunks, vectors, path="faq.txt", file_hash="h")
    answerer = ExtractiveAnswerer(vectors=word_vectors, following=FollowingPassages(store, lambda: None))
    answer = answerer.answer("What is a Debian package?", [Hit(chunks[1], 0.7)])  # only the second retrieved
    assert answer.answer.startswith("A package of this kind is an archive holding the files of one program [1].")
