"""Collections in the core: names, the default collection over an existing index, and
documents kept apart (dense search, keyword search, listings), with the real model and
real Chroma under tmp_path."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.app import Application, build_application
from assistant.collections import CollectionInfo, check_name, collection_folder
from assistant.settings import Settings
from core.errors import (
    CollectionExistsError,
    CollectionNameError,
    DefaultCollectionError,
    EmptyIndexError,
    UnknownCollectionError,
)
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.chroma import ChromaStore

RULE = "1-32 lowercase letters, digits and hyphens, starting and ending with a letter or digit (e.g. hr-handbook)"
LEAVE = "# Leave policy\n\nEvery employee of Quillmark receives 27 days of paid leave a year.\n"
ROCKET = "# Rocket notes\n\nThe zorblax7731 thruster burns kerosene and liquid oxygen for 90 seconds.\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def app(tmp_path: Path, embedder) -> Iterator[Application]:
    opened = build_application(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "name",
    ["", "HR", "hr_handbook", "-hr", "hr-", "hr handbook", "hr.docs", "../x", "a" * 33, "ünïcode"],
    ids=["empty", "upper-case", "underscore", "leading-hyphen", "trailing-hyphen", "space", "dot", "path",
         "33-chars", "non-ascii"],
)  # fmt: skip
def test_a_name_a_collection_cannot_have_is_refused_saying_what_it_can(name: str) -> None:
    with pytest.raises(CollectionNameError) as refused:
        check_name(name)
    assert str(refused.value) == f"{name!r} cannot name a collection: use {RULE}."


@pytest.mark.parametrize("name", ["a", "hr-handbook", "2024", "a--b", "a" * 32])
def test_names_a_collection_can_have(name: str) -> None:
    assert check_name(name) == name


def test_the_default_collection_is_the_index_made_before_collections(tmp_path: Path, embedder, counter) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "leave.md", LEAVE)
    # An index as the project wrote it before collections: Chroma collection `assistant`.
    with ChromaStore.embedded(tmp_path / "data" / "index", "assistant") as store:
        assert Ingestor(store, embedder, Chunker(counter)).ingest([corpus]).ok
    app = build_application(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        assert app.collection == "default"
        assert app.collections is not None
        assert app.collections.list() == [CollectionInfo("default", 1, 1)]
        answer = app.assistant.ask("How many days of paid leave does a Quillmark employee get?")
        assert answer.abstained is False and "27 days" in answer.answer
        assert [c.source for c in answer.citations] == ["corpus/leave.md"]
    finally:
        app.close()


def test_collections_keep_their_documents_apart(app: Application, tmp_path: Path) -> None:
    assert app.collections is not None
    rockets = app.collections.create("rockets")
    assert rockets.documents.ingest([write(tmp_path / "r", "rocket.md", ROCKET)]).ok
    assert app.documents.ingest([write(tmp_path / "d", "leave.md", LEAVE)]).ok
    assert app.collections.list() == [CollectionInfo("default", 1, 1), CollectionInfo("rockets", 1, 1)]
    assert [r.source for r in rockets.documents.indexed()] == ["r/rocket.md"]

    question = "How long does the zorblax7731 thruster burn?"
    found = rockets.assistant.ask(question)
    assert found.abstained is False and "90 seconds" in found.answer
    assert [c.source for c in found.citations] == ["r/rocket.md"]
    elsewhere = app.assistant.ask(question)
    assert (elsewhere.abstained, elsewhere.citations) == (True, [])
    # Keyword search, and the answerer's "does any passage name it?", see one collection only.
    assert rockets.assistant.retriever.keywords is not None and app.assistant.retriever.keywords is not None
    [(chunk_id, _)] = rockets.assistant.retriever.keywords.search("zorblax7731", 5)
    assert chunk_id in {c.id for c, _ in rockets.assistant.store.all_chunks()}
    assert app.assistant.retriever.keywords.search("zorblax7731", 5) == []
    assert (rockets.assistant.retriever.keywords.mentions("zorblax7731"),
            app.assistant.retriever.keywords.mentions("zorblax7731")) == (True, False)  # fmt: skip


def test_every_collection_shares_the_one_model(app: Application) -> None:
    assert app.collections is not None
    one, two = app.collections.create("one"), app.collections.create("two")
    assert one.assistant.embedder is app.assistant.embedder is two.assistant.embedder
    assert one.assistant.answerer.vectors is app.assistant.answerer.vectors  # type: ignore[attr-defined]
    assert app.collections.get("one") is one  # built once


def test_each_collection_keeps_its_uploads_and_keyword_index_in_its_own_folder(app: Application,
                                                                                 tmp_path: Path) -> None:  # fmt: skip
    assert app.collections is not None
    rockets = app.collections.create("rockets")
    report = rockets.documents.add_files([("rocket.md", ROCKET.encode())])
    data = tmp_path / "data"  # the working folder is tmp_path: sources are shown relative to it
    assert report.added == ["data/collections/rockets/uploads/rocket.md"]
    rockets.assistant.ask("How long does the thruster burn?")
    assert [p.name for p in (data / "collections" / "rockets" / "keywords").iterdir()] != []
    assert not (data / "uploads").exists() and not (data / "keywords").exists()


def test_a_new_process_sees_the_collections_and_a_delete_removes_everything(tmp_path: Path, embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = build_application(settings, embedder=embedder)
    assert first.collections is not None
    first.collections.create("rockets").documents.add_files([("rocket.md", ROCKET.encode())])
    first.close()

    again = build_application(settings, embedder=embedder)
    collections = again.collections
    assert collections is not None
    try:
        assert collections.names() == ["default", "rockets"]
        assert collections.delete("rockets") == CollectionInfo("rockets", 1, 1)
        assert collections.names() == ["default"]
        assert not (tmp_path / "data" / "collections" / "rockets").exists()
        assert collections.root.collection_names() == ["assistant", "assistant-documents", "assistant-writes"]
        with pytest.raises(UnknownCollectionError) as gone:
            collections.get("rockets")
        assert str(gone.value) == ("No collection is named 'rockets'; `assistant collections` (or GET "
                                   "/v1/collections) lists them.")  # fmt: skip
    finally:
        again.close()


def test_default_cannot_be_deleted_nor_a_name_taken_twice(app: Application) -> None:
    assert app.collections is not None
    with pytest.raises(DefaultCollectionError) as refused:
        app.collections.delete("default")
    assert str(refused.value) == ("The default collection cannot be deleted: it is where documents go when no "
                                  "collection is named. Delete its documents one by one instead (DELETE "
                                  "/v1/documents/{id}).")  # fmt: skip
    app.collections.create("rockets")
    for name in ("rockets", "default"):
        with pytest.raises(CollectionExistsError) as taken:
            app.collections.create(name)
        assert (
            str(taken.value) == f"A collection named {name!r} exists already; ingest into it, or choose another name."
        )


def test_an_empty_collection_says_how_to_fill_it(app: Application) -> None:
    assert app.collections is not None
    with pytest.raises(EmptyIndexError) as empty:
        app.collections.create("rockets").assistant.ask("How long does the thruster burn?")
    assert str(empty.value) == ("The collection 'rockets' is empty: run `assistant ingest PATH --collection rockets` "
                                "or upload documents to it first.")  # fmt: skip


def test_a_name_too_long_for_chroma_beside_a_long_prefix_is_refused(tmp_path: Path, embedder) -> None:
    app = build_application(Settings(data_dir=tmp_path / "data", collection="c" * 40), embedder=embedder)
    try:
        assert app.collections is not None
        with pytest.raises(CollectionNameError) as refused:
            app.collections.create("a" * 20)
        assert str(refused.value) == (f"{'a' * 20!r} is too long beside ASSISTANT_COLLECTION={'c' * 40!r}: Chroma "
                                      "names hold at most 63 characters; use at most 12.")  # fmt: skip
        assert app.collections.names() == ["default"]
    finally:
        app.close()


def test_readers_racing_a_delete_are_told_it_is_gone_and_nothing_comes_back(app: Application) -> None:
    # Asks, listings and counts while another request deletes: each either reads the
    # collection or is told it is gone; none fails otherwise, the list never does, and the
    # deleted collection stays deleted, its folder too.
    collections = app.collections
    assert collections is not None
    failures: list[str] = []

    def read(name: str, start: threading.Barrier, kind: int) -> None:
        start.wait()
        for _ in range(6):
            try:
                if kind == 0:
                    collections.list()
                elif kind == 1:
                    collections.info(name)
                else:
                    collections.get(name).assistant.ask("How long does the thruster burn?")
            except UnknownCollectionError as gone:
                assert str(gone).startswith(("No collection is named", "The collection was deleted")), str(gone)
            except Exception as err:  # any other failure is the fault under test
                failures.append(f"{type(err).__name__}: {err}")

    def delete(name: str, start: threading.Barrier) -> None:
        start.wait()
        collections.delete(name)

    for round_ in range(6):
        name = f"race-{round_}"
        collections.create(name).documents.add_files([("rocket.md", ROCKET.encode())])
        start = threading.Barrier(5)
        with ThreadPoolExecutor(5) as pool:
            jobs = [pool.submit(read, name, start, kind) for kind in (0, 1, 2, 2)] + [pool.submit(delete, name, start)]
            for job in jobs:
                job.result()
        assert name not in collections.names()
        assert not collection_folder(app.settings, name).exists()
    assert failures == []
    assert [c.name for c in collections.list()] == ["default"]
