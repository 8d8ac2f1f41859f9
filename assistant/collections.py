"""Collections: named document sets, each with its own Chroma collection, keyword index
and uploads folder, side by side in one data folder or on one Chroma server.

``default`` is the collection a fresh clone ingests into, and the one every door uses
when none is named; it is the Chroma collection ``ASSISTANT_COLLECTION`` names
(``assistant``), so an index made before collections existed is the default one. A
collection ``hr-handbook`` is the Chroma collections ``assistant.hr-handbook`` (the
passages) and ``assistant.hr-handbook.documents`` (the file registry). A collection
exists while its Chroma collection does, so every process using the folder or the
server sees the same ones.

``Collections`` builds one application per collection, on first use, through the
``build`` function it is given; the model and the word vectors are loaded once and
shared by all of them (``assistant.app.build_application`` does the wiring).

    >>> collections = build_application(Settings()).collections
    >>> collections.create("hr-handbook").documents.ingest([Path("handbook")]).ok
    True
    >>> [(c.name, c.documents) for c in collections.list()]
    [('default', 3), ('hr-handbook', 12)]
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import CollectionExistsError, CollectionNameError, DefaultCollectionError, UnknownCollectionError
from vectorstore.chroma import MAX_NAME, ChromaStore

from .settings import Settings

if TYPE_CHECKING:
    from .app import Application

DEFAULT = "default"
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
NAME_RULE = "1-32 lowercase letters, digits and hyphens, starting and ending with a letter or digit (e.g. hr-handbook)"
_REGISTRY = ".documents"


def check_name(name: str) -> str:
    """``name`` when a collection may have it; else ``CollectionNameError`` saying what may."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise CollectionNameError(f"{name!r} cannot name a collection: use {NAME_RULE}.")
    return name


def chroma_names(settings: Settings, name: str) -> tuple[str, str]:
    """The Chroma collections of collection ``name``: its passages and its file registry."""
    if name == DEFAULT:
        return settings.collection, f"{settings.collection}-documents"
    chunks = f"{settings.collection}.{name}"
    if len(chunks + _REGISTRY) > MAX_NAME:
        raise CollectionNameError(
            f"{name!r} is too long beside ASSISTANT_COLLECTION={settings.collection!r}: Chroma names hold at most "
            f"{MAX_NAME} characters; use at most {MAX_NAME - len(settings.collection) - 1 - len(_REGISTRY)}."
        )
    return chunks, chunks + _REGISTRY


def collection_folder(settings: Settings, name: str) -> Path:
    """Where a collection other than ``default`` keeps its uploads and keyword index."""
    return settings.data_dir / "collections" / name


@dataclass(frozen=True)
class CollectionInfo:
    """A collection and how much it holds."""

    name: str
    documents: int
    chunks: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "documents": self.documents, "chunks": self.chunks}


class Collections:
    """The collections of one data folder or Chroma server.

    ``root`` is the default collection's store: it owns the folder (or holds the
    connection to the server), and every other collection's store goes through its
    client. ``build(name, store)`` makes a collection's application; each is made once,
    on first use, and kept until the collection is deleted or this is closed.
    """

    def __init__(self, settings: Settings, root: ChromaStore, build: Callable[[str, ChromaStore], Application]):
        self.settings = settings
        self.root = root
        self._build = build
        self._built: dict[str, Application] = {}
        self._stores: dict[str, ChromaStore] = {}
        self._lock = threading.RLock()  # two requests never build (or create) one collection twice
        self._deleting: set[str] = set()  # dropped outside the lock; meanwhile no request opens them

    @property
    def default(self) -> Application:
        return self.get(DEFAULT)

    def names(self) -> list[str]:
        """Every collection's name, ``default`` first, then by name."""
        prefix = f"{self.settings.collection}."
        named = (n[len(prefix) :] for n in self.root.collection_names() if n.startswith(prefix))
        return [DEFAULT, *sorted(n for n in named if _NAME.fullmatch(n))]

    def exists(self, name: str) -> bool:
        return name == DEFAULT or (bool(_NAME.fullmatch(name)) and name in self.names())

    def get(self, name: str) -> Application:
        """The application answering from collection ``name``; ``UnknownCollectionError``
        when there is none of that name."""
        # Checked and opened under the lock a delete holds while it drops the collection: a
        # request checking before the drop and opening after would make it again, empty.
        with self._lock:
            if name in self._built:
                return self._built[name]
            if name in self._deleting or not self.exists(name):
                raise UnknownCollectionError(
                    f"No collection is named {name!r}; `assistant collections` (or GET /v1/collections) lists them."
                )
            return self._open(name)

    def create(self, name: str) -> Application:
        """A new, empty collection; ``CollectionExistsError`` when the name is taken."""
        check_name(name)
        with self._lock:
            self._not_being_deleted(name)
            if self.exists(name):
                raise CollectionExistsError(f"A collection named {name!r} exists already; ingest into it, or "
                                            "choose another name.")  # fmt: skip
            chroma_names(self.settings, name)  # too long: refused before anything is made
            return self._open(name)

    def ensure(self, name: str) -> Application:
        """Collection ``name``, created first when missing (`assistant ingest --collection`)."""
        check_name(name)
        with self._lock:
            self._not_being_deleted(name)
            return self._open(name)

    def _not_being_deleted(self, name: str) -> None:
        if name in self._deleting:
            raise CollectionExistsError(f"The collection {name!r} is being deleted; make it again in a moment.")

    def info(self, name: str) -> CollectionInfo:
        app = self.get(name)
        return CollectionInfo(name, len(app.documents.indexed()), app.assistant.store.count())

    def list(self) -> list[CollectionInfo]:
        """Every collection and what it holds; one deleted meanwhile is left out."""
        listed = []
        for name in self.names():
            try:
                listed.append(self.info(name))
            except UnknownCollectionError:
                continue
        return listed

    def delete(self, name: str) -> CollectionInfo:
        """Delete collection ``name``: its passages, its registry, its uploaded files and
        saved keyword index. ``default`` cannot be deleted."""
        if name == DEFAULT:
            raise DefaultCollectionError(
                "The default collection cannot be deleted: it is where documents go when no collection is named. "
                "Delete its documents one by one instead (DELETE /v1/documents/{id})."
            )
        app = self.get(name)
        with app.documents.writing(self.settings.write_wait_s):
            held = CollectionInfo(name, len(app.documents.indexed()), app.assistant.store.count())
            with self._lock:
                self._built.pop(name, None)
                store = self._stores.pop(name)
                self._deleting.add(name)
            try:
                store.drop()  # seconds on a server: other collections' requests need not wait
            finally:
                with self._lock:
                    self._deleting.discard(name)
            app.assistant.index_changed()
            app.documents.retire(f"The collection {name!r} was deleted before this upload was ingested; nothing of "
                                 "it was stored.")  # fmt: skip
            app.assistant.retire()
            shutil.rmtree(collection_folder(self.settings, name), ignore_errors=True)
        return held

    def _open(self, name: str) -> Application:
        with self._lock:
            app = self._built.get(name)
            if app is None:
                store = self.root if name == DEFAULT else self.root.sibling(*chroma_names(self.settings, name))
                app = self._built[name] = self._build(name, store)
                self._stores[name] = store
            return app

    def close(self) -> None:
        """Release the folder (or the connection) and everything built on it."""
        with self._lock:
            built, self._built, self._stores = list(self._built.values()), {}, {}
        for app in built:
            app.assistant.close()
        self.root.close()
