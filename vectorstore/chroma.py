"""The Chroma index: chunks with their vectors, plus a registry of ingested files.

Three collections live side by side: ``<name>`` holds one record per chunk (vector,
text, metadata), ``<name>-documents`` one record per source file (its content hash,
chunk count and whether its chunks were fully written), and ``<name>-writes`` one
record per file whose chunks were ever written, with a token that changes on each
write (``path_versions()``: how a cache of the chunks learns what to read again).
Keeping all of it in Chroma itself means a Chroma server holds the whole state, so
every process that points at the server sees the same index.

Embedded mode (a folder, ``PersistentClient``) is not safe for two processes at once:
the store takes an exclusive lock on the folder and a second process fails at once
with ``StoreLockedError``. Server mode (``HttpClient``) needs no lock.

    >>> store = ChromaStore.embedded(Path("data/index"))
    >>> store.count()
    25
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import numpy as np

from core.errors import StoreLockedError, StoreUnavailableError, UnknownCollectionError
from core.records import Chunk, DocumentRecord, Hit, document_id

_LOCK_WAIT_S = 0.5
# Chroma's longest collection name.
MAX_NAME = 63
# Files whose chunks one read asks for (a ``$in`` filter), so a filter stays small.
_PATHS_PER_READ = 100
# Chroma's graph search keeps ``ef_search`` candidates; at or above a collection's size it
# reaches every chunk, so the search is exact. Chroma rebuilds the graph's unsaved part
# whenever a process opens the index, differently each time, so a narrower search of a
# small collection brought other passages after a restart. A larger collection is searched
# with a breadth near Chroma's default (100), where 2,000 would cost +5 ms at 100k chunks;
# a number other than the default also marks a collection whose breadth this store set.
EXACT_UP_TO = 2000
_WIDE_BREADTH = 128


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a lost connection to a Chroma server into ``StoreUnavailableError``.

    The HTTP client raises its own transport errors; callers (and the API's error
    handler) see one project error with a message that says what to do instead.
    """

    @functools.wraps(method)
    def wrapper(self: ChromaStore, *args: Any, **kwargs: Any) -> Any:
        try:
            result = method(self, *args, **kwargs)
            if inspect.isgenerator(result):
                return _guarded_iter(self, result)
            return result
        except (httpx.TransportError, ConnectionError) as err:
            raise self._unavailable(err) from None
        except Exception as err:
            if (gone := _gone(self, err)) is err:
                raise
            raise gone from None

    return wrapper


def _gone(store: ChromaStore, err: Exception) -> Exception:
    """``UnknownCollectionError`` for Chroma's own error when this store's collections were
    deleted under it (by another request or process); ``err`` itself otherwise."""
    if type(err).__name__ == "NotFoundError" and "does not exist" in str(err):
        return UnknownCollectionError(
            "The collection was deleted while this request used it; `assistant collections` (or GET "
            "/v1/collections) lists those there are."
        )
    return err


# Chroma can fail a read that meets a delete of the same ids in flight ("Error finding
# id"), about one read in two thousand while writes go on; read again, the ids are either
# gone or back. The served app answered 500 then.
_WRITE_IN_FLIGHT = "Error finding id"
READ_TRIES = 4


def _settled(method: Callable[..., Any]) -> Callable[..., Any]:
    """Read again when Chroma reports a write of the same passages in flight."""

    @functools.wraps(method)
    def wrapper(self: ChromaStore, *args: Any, **kwargs: Any) -> Any:
        from chromadb.errors import InternalError  # loaded with the store already

        for attempt in range(READ_TRIES):
            try:
                return method(self, *args, **kwargs)
            except InternalError as err:
                if _WRITE_IN_FLIGHT not in str(err) or attempt == READ_TRIES - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")  # the loop returns or raises

    return wrapper


def _guarded_iter(store: ChromaStore, items: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from items
    except (httpx.TransportError, ConnectionError) as err:
        raise store._unavailable(err) from None
    except Exception as err:
        if (gone := _gone(store, err)) is err:
            raise
        raise gone from None


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ChromaStore:
    """Chunks and the file registry in Chroma, embedded or on a server."""

    def __init__(self, client: Any, collection: str = "assistant", lock: Any = None, location: str = "",
                 registry: str | None = None):  # fmt: skip
        """``registry`` names the file registry's collection (default ``<collection>-documents``)."""
        registry = registry or f"{collection}-documents"
        if not (3 <= len(collection) <= MAX_NAME and 3 <= len(registry) <= MAX_NAME):
            raise ValueError(f"Chroma collection names must be 3-{MAX_NAME} characters: {collection!r}, {registry!r}")
        self._client = client
        self._lock = lock
        self.location = location
        self._chunks = client.get_or_create_collection(
            collection, embedding_function=None, configuration={"hnsw": {"space": "cosine", "ef_search": EXACT_UP_TO}}
        )
        self._stored_breadth = self._set_breadth()
        # The registry needs no similarity search; a constant one-dimensional vector
        # satisfies Chroma's requirement that every record has an embedding.
        self._documents = client.get_or_create_collection(registry, embedding_function=None)
        self._writes = client.get_or_create_collection(_writes_name(registry), embedding_function=None)
        self.max_batch = int(client.get_max_batch_size())
        if self._writes.count() == 0 and self._chunks.count() > 0:
            # An index written before files had tokens: every registered file gets one, so a
            # cache made from it can tell its files from those of a store that replaced it.
            self._chunks_changed(self.documents())

    def _set_breadth(self) -> int:
        """The search breadth in the collection's settings, set before anything reads the
        collection (Chroma fixes it for a process at its first read, a count too). An index
        created before breadths were set is searched exactly by this process, since its size
        is unknown until that first read; ``_fit_breadth`` then sets what later processes use."""
        hnsw = (getattr(self._chunks, "configuration", None) or {}).get("hnsw") or {}
        breadth = int(hnsw.get("ef_search") or 0)
        if breadth in (EXACT_UP_TO, _WIDE_BREADTH):
            return breadth
        self._chunks.modify(configuration={"hnsw": {"ef_search": EXACT_UP_TO}})
        self._stored_breadth = EXACT_UP_TO
        self._fit_breadth()
        return self._stored_breadth

    def _fit_breadth(self) -> None:
        """After a write: exact for up to ``EXACT_UP_TO`` chunks, wide beyond, for the
        processes that open the index after this one."""
        breadth = EXACT_UP_TO if self._chunks.count() <= EXACT_UP_TO else _WIDE_BREADTH
        if breadth != self._stored_breadth:
            self._chunks.modify(configuration={"hnsw": {"ef_search": breadth}})
            self._stored_breadth = breadth

    @property
    def name(self) -> str:
        """The Chroma collection holding the chunks."""
        return str(self._chunks.name)

    @_guarded
    def sibling(self, collection: str, registry: str | None = None) -> ChromaStore:
        """Another pair of collections (chunks and registry) through this store's client,
        created when missing; the folder stays owned by this store (closing the sibling
        releases nothing)."""
        return ChromaStore(self._client, collection, location=self.location, registry=registry)

    @_guarded
    def collection_names(self) -> list[str]:
        """Every Chroma collection in the folder or on the server (of any store)."""
        return sorted(str(getattr(c, "name", c)) for c in self._client.list_collections())

    @_guarded
    def drop(self) -> None:
        """Delete this store's collections, chunks, registry and file tokens, for good."""
        for name in (self._chunks.name, self._documents.name, self._writes.name, _leases_name(self._documents.name)):
            try:
                self._client.delete_collection(name)
            except Exception as err:  # already gone (another process dropped it): nothing to do
                if "does not exist" not in str(err) and type(err).__name__ != "NotFoundError":
                    raise

    @classmethod
    def embedded(cls, folder: Path, collection: str = "assistant") -> ChromaStore:
        """Open (or create) the index in ``folder``, owning it for this process."""
        import chromadb
        from chromadb.config import Settings
        from filelock import FileLock, Timeout

        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(folder / "owner.lock"), timeout=_LOCK_WAIT_S)
        try:
            lock.acquire()
        except Timeout:
            owner = _read_owner(folder)
            raise StoreLockedError(
                f"The index at {folder} is in use by another process{owner}. Stop that process, "
                "or run a Chroma server and set ASSISTANT_CHROMA_URL so several processes can share it."
            ) from None
        (folder / "owner.pid").write_text(str(os.getpid()))
        try:
            client = chromadb.PersistentClient(
                path=str(folder), settings=Settings(anonymized_telemetry=False, allow_reset=False)
            )
            return cls(client, collection, lock=lock, location=str(folder))
        except Exception:
            lock.release()
            raise

    @classmethod
    def remote(cls, url: str, collection: str = "assistant") -> ChromaStore:
        """Connect to a Chroma server (``chroma run``) at ``url``."""
        import chromadb
        from chromadb.config import Settings

        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"ASSISTANT_CHROMA_URL must look like http://host:8000, got {url!r}")
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=Settings(anonymized_telemetry=False),
            )
            return cls(client, collection, location=url)
        except Exception as err:
            raise StoreUnavailableError(
                f"The Chroma server at {url} does not answer ({type(err).__name__}). "
                f"Start it with `chroma run --path DIR --port {parsed.port or 8000}` or unset ASSISTANT_CHROMA_URL."
            ) from None

    def _unavailable(self, err: Exception) -> StoreUnavailableError:
        return StoreUnavailableError(
            f"The Chroma server at {self.location} does not answer ({type(err).__name__}). "
            "Check that it is running (`chroma run --path DIR --port N`) and that ASSISTANT_CHROMA_URL points to it."
        )

    def close(self) -> None:
        """Release the folder for other processes."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ChromaStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the file registry -------------------------------------------------------

    @_guarded
    def documents(self) -> dict[str, DocumentRecord]:
        """Every registered file, keyed by its absolute path."""
        records: dict[str, DocumentRecord] = {}
        offset = 0
        while True:
            page = self._documents.get(include=["metadatas"], limit=self.max_batch, offset=offset)
            for meta in page["metadatas"] or []:
                record = _record_from_meta(meta)
                records[record.path] = record
            if len(page["ids"]) < self.max_batch:
                return records
            offset += self.max_batch

    @_guarded
    def document(self, path: str) -> DocumentRecord | None:
        found = self._documents.get(ids=[document_id(path)], include=["metadatas"])
        metas = found["metadatas"] or []
        return _record_from_meta(metas[0]) if metas else None

    @_guarded
    def put_document(self, record: DocumentRecord) -> None:
        meta = {
            "path": record.path, "source": record.source, "title": record.title,
            "file_hash": record.file_hash, "chunks": record.chunks, "complete": record.complete,
        }  # fmt: skip
        self._documents.upsert(ids=[document_id(record.path)], embeddings=[[1.0]], metadatas=[meta])

    @_guarded
    def delete_document(self, path: str) -> None:
        """Remove a file's chunks, then its registry entry (in that order, so a crash
        in between leaves an entry that the next run cleans up, never orphan chunks)."""
        self.delete_chunks(self.chunk_ids(path))
        self._documents.delete(ids=[document_id(path)])
        # Marked again even when no chunk was left: a run killed after deleting the chunks
        # but before marking them leaves nothing else for caches to notice.
        self._chunks_changed([path])

    # --- chunks ------------------------------------------------------------------

    @_guarded
    def embedding_model(self) -> str | None:
        """The embedder name the chunks' vectors came from (None: not recorded)."""
        # Read afresh: on a server, another process may have re-embedded the index.
        metadata = self._client.get_collection(self._chunks.name).metadata or {}
        return metadata.get("embedding")

    @_guarded
    def set_embedding_model(self, name: str) -> None:
        self._chunks.modify(metadata={"embedding": name})

    @_guarded
    def count(self) -> int:
        return int(self._chunks.count())

    @_guarded
    def chunk_ids(self, path: str) -> set[str]:
        return set(self._chunks.get(where={"path": path}, include=[])["ids"])

    @_guarded
    def chunk_ids_in(self, paths: Sequence[str]) -> set[str]:
        """The ids of every chunk of these files (ids only: no text or vectors are read)."""
        ids: set[str] = set()
        for batch in _batches(list(paths), self.max_batch):
            ids.update(self._chunks.get(where={"path": {"$in": list(batch)}}, include=[])["ids"])
        return ids

    @_guarded
    def embeddings_for(self, ids: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored vectors of the given chunk ids (those that exist)."""
        wanted = list(ids)
        out: dict[str, np.ndarray] = {}
        for batch in _batches(wanted, self.max_batch):
            found = self._chunks.get(ids=list(batch), include=["embeddings"])
            embeddings = found["embeddings"]
            if embeddings is None:
                continue
            for chunk_id, vector in zip(found["ids"], embeddings, strict=True):
                out[chunk_id] = np.asarray(vector, dtype=np.float32)
        return out

    @_guarded
    def upsert_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray, path: str, file_hash: str) -> None:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        for start in range(0, len(chunks), self.max_batch):
            batch = chunks[start : start + self.max_batch]
            self._chunks.upsert(
                ids=[c.id for c in batch],
                embeddings=vectors[start : start + self.max_batch],
                documents=[c.text for c in batch],
                metadatas=[_chunk_meta(c, path, file_hash) for c in batch],
            )
        self._chunks_changed([path])

    @_guarded
    def delete_chunks(self, ids: Iterable[str]) -> None:
        batches = list(_batches(sorted(ids), self.max_batch))
        paths: set[str] = set()
        for batch in batches:
            # Their files are marked as changed, so the ids' paths are read before they go.
            found = self._chunks.get(ids=list(batch), include=["metadatas"])
            paths.update(str(meta["path"]) for meta in found["metadatas"] or [] if meta)
            self._chunks.delete(ids=list(batch))
        if batches:
            self._chunks_changed(paths)

    def _chunks_changed(self, paths: Iterable[str]) -> None:
        # A new random token, written *after* the chunks: first per changed file (in the
        # writes collection), then for the whole store (the registry collection's
        # metadata). A process that reads the tokens before it reads the chunks to build
        # a cache from them (the keyword index) sees different tokens once anything
        # changed, whichever process wrote it, and the files' tokens say which files to
        # read again. The chunk count alone misses a document replaced by one with as
        # many chunks. A process killed before the tokens are written leaves the old ones
        # until the next write (the rerun a killed ingest needs anyway).
        token = uuid.uuid4().hex
        for batch in _batches(sorted(set(paths)), self.max_batch):
            self._writes.upsert(
                ids=[document_id(p) for p in batch],
                embeddings=[[1.0]] * len(batch),
                metadatas=[{"path": p, "token": token} for p in batch],
            )
        self._documents.modify(metadata={"chunks_written": token})
        self._fit_breadth()

    @_guarded
    def take_lease(self, name: str, owner: str, ttl_s: float, settle_s: float = 0.5) -> bool:
        """Hold the lease ``name`` for ``owner`` for ``ttl_s`` seconds, unless another owner
        holds it unexpired: a lock kept in the store, so processes on different machines
        sharing a Chroma server see it (a lock file is seen on one machine only).

        Chroma has no compare-and-set, so a taker writes its claim, waits ``settle_s`` and
        reads it back: of two processes claiming at once, only the one whose write landed
        last still finds its own name and goes on. Renewing is taking again."""
        leases, held = self._lease(name)
        if held and held["owner"] != owner and float(held["expires"]) > time.time():
            return False
        leases.upsert(ids=[name], embeddings=[[1.0]], metadatas=[{"owner": owner, "expires": time.time() + ttl_s}])
        time.sleep(settle_s)
        _, held = self._lease(name)
        return bool(held and held["owner"] == owner)

    @_guarded
    def release_lease(self, name: str, owner: str) -> None:
        """Give the lease ``name`` back, if ``owner`` still holds it."""
        leases, held = self._lease(name)
        if held and held["owner"] == owner:
            leases.delete(ids=[name])

    def _lease(self, name: str) -> tuple[Any, dict[str, Any] | None]:
        """The leases' collection, and who holds ``name`` until when (None if nobody)."""
        leases = self._client.get_or_create_collection(_leases_name(self._documents.name), embedding_function=None)
        held = leases.get(ids=[name], include=["metadatas"])["metadatas"] or []
        return leases, (dict(held[0]) if held and held[0] else None)

    @_guarded
    def version(self) -> str:
        """A token that changes whenever any process writes or deletes chunks: one small
        read, whatever the size of the index (counting chunks scans them all)."""
        # Read afresh, not from this client's collection object: on a Chroma server,
        # other processes (workers, `assistant ingest`) write too.
        registry = self._client.get_collection(self._documents.name, embedding_function=None)
        token = (registry.metadata or {}).get("chunks_written")
        # An index written before writes left a token: its count is the best fingerprint.
        return str(token) if token else f"count:{self.count()}"

    @_guarded
    def path_versions(self) -> dict[str, str]:
        """For every file whose chunks were ever written or deleted, a token that changes
        with each such write, by any process: ``version()`` per file. One record per file
        is read, not the chunks, so a cache of the chunks learns cheaply which files it
        must read again."""
        versions: dict[str, str] = {}
        offset = 0
        while True:
            page = self._writes.get(include=["metadatas"], limit=self.max_batch, offset=offset)
            for meta in page["metadatas"] or []:
                versions[str(meta["path"])] = str(meta["token"])
            if len(page["ids"]) < self.max_batch:
                return versions
            offset += self.max_batch

    @_guarded
    def path_chunks(self, paths: Iterable[str]) -> Iterator[tuple[Chunk, str]]:
        """The stored chunks of the given files, with their paths."""
        for batch in _batches(sorted(set(paths)), _PATHS_PER_READ):
            yield from self._chunk_pages({"path": {"$in": list(batch)}})

    @_guarded
    def all_chunks(self) -> Iterator[tuple[Chunk, str]]:
        """Every stored chunk with its file path, in pages (for checks and exports)."""
        return self._chunk_pages(None)

    def _chunk_pages(self, where: dict[str, Any] | None) -> Iterator[tuple[Chunk, str]]:
        offset = 0
        while True:
            page = self._chunks.get(
                where=where, include=["documents", "metadatas"], limit=self.max_batch, offset=offset
            )
            for chunk_id, text, meta in zip(page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True):
                if _present(text, meta):
                    yield _chunk_from_meta(chunk_id, text, meta), str(meta["path"])
            if len(page["ids"]) < self.max_batch:
                return
            offset += self.max_batch

    @_guarded
    @_settled
    def chunks_by_id(self, ids: list[str]) -> list[tuple[Chunk, np.ndarray]]:
        """Stored chunks with their vectors, in the order asked (missing ids skipped)."""
        found: dict[str, tuple[Chunk, np.ndarray]] = {}
        for batch in _batches(ids, self.max_batch):
            page = self._chunks.get(ids=list(batch), include=["documents", "metadatas", "embeddings"])
            for chunk_id, text, meta, vector in zip(page["ids"], page["documents"] or [], page["metadatas"] or [],
                                                    page["embeddings"], strict=True):  # fmt: skip
                if not _present(text, meta, vector):
                    continue
                found[chunk_id] = (_chunk_from_meta(chunk_id, text, meta), np.asarray(vector, dtype=np.float32))
        return [found[i] for i in ids if i in found]

    @_guarded
    @_settled
    def chunks_after(self, chunk: Chunk, count: int = 1) -> list[Chunk]:
        """Up to ``count`` passages that follow ``chunk`` in its document, in order."""
        where = {
            "$and": [
                {"source": chunk.source},
                {"chunk_index": {"$gt": chunk.index}},
                {"chunk_index": {"$lte": chunk.index + count}},
            ]
        }
        return sorted((found for found, _ in self._chunk_pages(where)), key=lambda c: c.index)

    @_guarded
    @_settled
    def opening_chunks(self, paths: Sequence[str], count: int = 1) -> list[Chunk]:
        """The first ``count`` passages of each of ``paths`` that is stored, file by file
        in the order given, each file's in document order."""
        if not paths:
            return []
        where = {"$and": [{"path": {"$in": list(paths)}}, {"chunk_index": {"$lt": count}}]}
        found: dict[str, list[Chunk]] = {}
        for chunk, path in self._chunk_pages(where):
            found.setdefault(path, []).append(chunk)
        return [chunk for path in paths for chunk in sorted(found.get(path, []), key=lambda c: c.index)]

    @_guarded
    def mentions(self, text: str) -> bool:
        """Whether any stored passage contains ``text`` (case-sensitive substring)."""
        return bool(self._chunks.get(where_document={"$contains": text}, limit=1, include=[])["ids"])

    @_guarded
    @_settled
    def nearest(self, vector: np.ndarray, k: int, paths: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """``(chunk id, cosine similarity)`` of the ``k`` chunks nearest ``vector``, best
        first, without their texts: fusion reads only the passages it keeps (a search
        that brings back texts and vectors costs three times one that does not)."""
        result = self._query(vector, k, paths, ["distances"])
        if result is None:
            return []
        return [
            (chunk_id, round(1.0 - float(distance), 4))
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    @_guarded
    @_settled
    def search(self, vector: np.ndarray, k: int, paths: Sequence[str] | None = None) -> list[Hit]:
        """The ``k`` chunks nearest to ``vector``, best first, scored by cosine similarity;
        with ``paths``, only chunks of those files (Chroma filters them in the search)."""
        result = self._query(vector, k, paths, ["documents", "metadatas", "distances", "embeddings"])
        if result is None:
            return []
        hits = []
        for chunk_id, text, meta, distance, stored in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0],
            result["embeddings"][0], strict=True,
        ):  # fmt: skip
            if not _present(text, meta, stored):
                continue  # deleted by a write since the search found it (its record comes back empty)
            score = round(1.0 - float(distance), 4)
            hits.append(Hit(_chunk_from_meta(chunk_id, text, meta), score=score, vector=np.asarray(stored)))
        return hits

    def _query(self, vector: np.ndarray, k: int, paths: Sequence[str] | None, include: list[Any]) -> Any:
        """Chroma's answer for the ``k`` nearest chunks (of ``paths`` only, when given);
        ``None`` when ``paths`` names no file."""
        if k < 1:
            raise ValueError("k must be at least 1")
        if paths is not None and not paths:
            return None
        return self._chunks.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=k,
            where=None if paths is None else {"path": {"$in": list(paths)}},
            include=include,
        )


def _leases_name(registry: str) -> str:
    """The leases' collection beside ``registry`` (``NAME-leases``, ``NAME.hr.leases``)."""
    return _writes_name(registry)[: -len("writes")] + "leases"


def _writes_name(registry: str) -> str:
    """The file tokens' collection beside ``registry``: ``NAME-documents`` has
    ``NAME-writes`` and ``NAME.hr.documents`` has ``NAME.hr.writes``, never longer than the
    registry's name and never a name that reads as a collection of its own."""
    if registry.endswith("documents"):
        return registry[: -len("documents")] + "writes"
    return f"{registry}-writes"


def _read_owner(folder: Path) -> str:
    try:
        pid = (folder / "owner.pid").read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _chunk_meta(chunk: Chunk, path: str, file_hash: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "path": path,
        "source": chunk.source,
        "title": chunk.title,
        "headings": json.dumps(list(chunk.headings), ensure_ascii=False),
        "chunk_index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "content_hash": chunk.content_hash,
        "file_hash": file_hash,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    return meta


def _present(text: str | None, meta: dict[str, Any] | None, vector: Any = 0) -> bool:
    """Whether a record Chroma returned is still whole: a chunk deleted while it was being
    read (a search runs beside uploads and deletes) comes back as ``None`` fields."""
    return text is not None and meta is not None and vector is not None


def _chunk_from_meta(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        text=text,
        source=str(meta["source"]),
        title=str(meta.get("title", "")),
        headings=tuple(json.loads(str(meta.get("headings", "[]")))),
        index=int(meta["chunk_index"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        page=int(meta["page"]) if "page" in meta else None,
    )


def _record_from_meta(meta: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(
        path=str(meta["path"]),
        source=str(meta["source"]),
        title=str(meta.get("title", "")),
        file_hash=str(meta["file_hash"]),
        chunks=int(meta["chunks"]),
        complete=bool(meta["complete"]),
    )
