"""Keyword search (BM25) over every stored chunk, for hybrid retrieval.

Dense search finds paraphrases; keyword search finds the rare exact terms a question
names (a package name, a command, a person) that embeddings blur. The index follows the
store file by file: the store keeps, per file, a token that
changes whenever that file's chunks are written or deleted (``path_versions()``), by
this process or any other (with a Chroma server, an `assistant ingest` or another
worker). When the store's ``version()`` changes, the index compares those tokens with
the ones it was made from, reads the chunks of the files that changed, and applies
them to a new snapshot (``assistant.bm25``): a one-file upload costs that file's
chunks, not a rebuild. Scores are those of a build from scratch.

Questions never wait for a rebuild:

- a few changed files (up to ``inline_files``) are applied by the first question that
  sees the change (about a tenth of a second for a 100-passage file at 100k chunks);
- more (a bulk ingest) are applied in a background thread, and questions meanwhile
  search the last snapshot: passages it names that are gone are skipped by the
  retriever, new ones are found by dense search until the update lands;
- folding the index's pieces together (``Snapshot.compact``) also runs in the background.

Only a process with no index at all builds one from every chunk before its first
answer (a server does it at start-up). With a cache folder, each snapshot is saved
there under the store's version, and a new process (`assistant ask`, a restarted
worker) loads the newest one and applies what changed since. The files are numpy
arrays and JSON, no pickle; their arrays are searched mapped, not copied, so workers
loading the same copy share its pages.

    >>> index = KeywordIndex(store)
    >>> index.search("dpkg-source unpack", k=3)[0][0]
    '5d1c...'
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from core.memory import release_freed_memory
from core.records import Chunk
from core.text import content_terms

from .bm25 import Doc, Segment, Snapshot
from .seams import Store

log = logging.getLogger(__name__)

# Maximal runs of ASCII letters and digits: what a name in a question is made of.
_RUN = re.compile(r"[A-Za-z0-9]+")
# Changed files a question applies itself; more go to a background thread.
INLINE_FILES = 32
# A saved piece no saved snapshot uses is deleted once it is this old: another process
# may have just written it for a snapshot it is about to save.
_ORPHAN_AGE_S = 300
# 3: term frequencies as uint16; 4: words lose their accents, "happen" is a stopword;
# 5: a doubled consonant before an ending is one ("plugged" is "plug").
_FORMAT = 5


def tokens(text: str) -> list[str]:
    # An empty passage still counts as a document of length one, as it did in bm25s.
    return content_terms(text) or ["∅"]


def _doc(chunk: Chunk, path: str) -> Doc:
    return Doc(
        chunk.id,
        path,
        tokens(f"{chunk.title} {' '.join(chunk.headings)} {chunk.text}"),
        set(_RUN.findall(chunk.text)),
    )


@dataclass(frozen=True)
class _State:
    version: str  # the store version the index reflects
    files: dict[str, str]  # the store's path_versions() it was made from
    index: Snapshot


# The index each KeywordIndex read for the question being answered: a question asks the
# index several times (a search, then whether any passage mentions a few of its words),
# and each read first asks the store for its version, which on a Chroma server is a
# request of its own.
_ONE_QUESTION: ContextVar[dict[int, _State] | None] = ContextVar("keyword_one_question", default=None)


@contextlib.contextmanager
def one_question() -> Iterator[None]:
    """Within it (and in threads started with a copy of its context), each keyword index
    checks the store's version once and answers from that snapshot; a write of this process
    (``invalidate``) is still seen at once."""
    token = _ONE_QUESTION.set({})
    try:
        yield
    finally:
        _ONE_QUESTION.reset(token)


class KeywordIndex:
    def __init__(self, store: Store, cache_dir: Path | None = None, inline_files: int = INLINE_FILES):
        if inline_files < 0:
            raise ValueError("inline_files must be 0 or more")
        self.store = store
        self.cache_dir = cache_dir
        self.inline_files = inline_files
        self._lock = threading.Lock()  # one update of the snapshot at a time
        self._saving = threading.Lock()  # a save finishes before ``retire`` returns
        self._state: _State | None = None
        self._stale = False  # set by invalidate(): look for changes even if the version looks the same
        self._seen: str | None = None  # the store's version as the last search read it
        self._background: threading.Thread | None = None
        # The folder each piece was saved in (or loaded from): pieces are saved once.
        self._pieces: weakref.WeakKeyDictionary[Segment, str] = weakref.WeakKeyDictionary()
        # What the index has done, for tests and benchmarks: builds from every chunk,
        # and passages tokenised in all (a one-file update adds that file's chunks).
        self.full_builds = 0
        self.tokenised = 0

    def warm_up(self) -> None:
        """Load or build the index now, every change applied, rather than on the first
        question: nothing is answered yet, so nothing waits on a large update."""
        self._current(inline=True)

    def invalidate(self) -> None:
        self._stale = True

    def retire(self) -> None:
        """Save no more copies: the collection was deleted, and its folder goes after this."""
        with self._saving:
            self.cache_dir = None

    def version(self) -> str | None:
        """The store's version as the last search read it, when the index is up to date
        with it; None before any search, after a write of this process no search has
        seen yet, and while an update is still to land (in the background, or in another
        thread): then the index answers from an older snapshot than the store holds."""
        state = self._state
        if state is None or self._stale or state.version != self._seen:
            return None
        return state.version

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a background update or compaction to finish (tests, benchmarks)."""
        worker = self._background
        if worker is not None:
            worker.join(timeout)

    # --- keeping up with the store -----------------------------------------------

    def _current(self, inline: bool = False) -> _State:
        """The index as of the store's version, read once per question inside
        ``one_question`` (the search, then each word asked whether any passage mentions)."""
        read = _ONE_QUESTION.get()
        if read is not None and not self._stale and (state := read.get(id(self))) is not None:
            return state
        state = self._refreshed(inline)
        if read is not None:
            read[id(self)] = state
        return state

    def _refreshed(self, inline: bool = False) -> _State:
        state = self._state
        if state is not None and not self._stale:
            self._seen = self.store.version()
            if state.version == self._seen:
                return state
        if not self._lock.acquire(blocking=state is None or inline):
            return state  # type: ignore[return-value]  # not None: a blocking acquire never fails
        handed_on = False  # the lock passes to a background thread, which releases it
        try:
            # Cleared before the store is read: an invalidate() meanwhile sets it again.
            forced, self._stale = self._stale, False
            if self._state is None:
                self._state = self._open()
            state = self._state
            # The version is read before the files' tokens, and those before the chunks: a
            # write that lands meanwhile changes them again, so the next question sees it.
            version = self._seen = self.store.version()
            if state.version == version and not forced:
                return state
            files = self.store.path_versions()
            changed = {p for p, token in files.items() if state.files.get(p) != token}
            changed |= state.files.keys() - files.keys()
            if len(changed) > self.inline_files and not inline:
                handed_on = self._in_background(lambda: self._update(state, version, files, changed))
                return state
            self._state = self._update(state, version, files, changed)
            if self._state.index.worth_compacting():
                handed_on = self._in_background(self._compact)
            return self._state
        finally:
            if not handed_on:
                self._lock.release()

    def _in_background(self, work: Callable[[], object]) -> bool:
        def run() -> None:
            try:
                work()
                state = self._state
                if state is not None and state.index.worth_compacting():
                    self._compact()
                # A bulk update or a compaction leaves what it read and copied as garbage.
                release_freed_memory()
            except Exception:  # the next question tries again
                log.exception("keyword index update failed; retrying on the next question")
                self._stale = True
            finally:
                self._lock.release()

        self._background = threading.Thread(target=run, name="keyword-index", daemon=True)
        self._background.start()
        return True

    def _update(self, state: _State, version: str, files: dict[str, str], changed: set[str]) -> _State:
        docs = [_doc(chunk, path) for chunk, path in self.store.path_chunks(changed)] if changed else []
        self.tokenised += len(docs)
        updated = _State(version, files, state.index.apply(changed, docs))
        self._state = updated
        self._save(updated)
        return updated

    def _compact(self) -> None:
        state = self._state
        assert state is not None  # compaction follows an update
        compacted = _State(state.version, state.files, state.index.compact())
        self._save(compacted)
        self._state = self._mapped(compacted)

    def _open(self) -> _State:
        """The newest saved snapshot (brought up to date by the caller), or one built from
        every chunk when none can be read."""
        loaded = self._load()
        if loaded is not None:
            return loaded
        version = self.store.version()
        files = self.store.path_versions()
        # Streamed: a passage's words are dropped once it is numbered.
        index = Snapshot.build(_doc(chunk, path) for chunk, path in self.store.all_chunks())
        self.full_builds += 1
        self.tokenised += index.docs
        built = self._mapped(_State(version, files, index))
        release_freed_memory()  # every passage's words were garbage once numbered
        return built

    # --- the saved copy ----------------------------------------------------------
    #
    # cache_dir/<version>/manifest.json   the store version and file tokens, the pieces
    # cache_dir/<version>/live-<n>.npy    rows and runs still live, for pieces with dead rows
    # cache_dir/pieces/<name>/            one Segment, written once and shared by snapshots

    def _folder(self, version: str) -> Path | None:
        # A count is no fingerprint (a replaced chunk keeps it): only write tokens are cached.
        if self.cache_dir is None or version.startswith("count:"):
            return None
        return self.cache_dir / _safe(version)

    def _load(self) -> _State | None:
        with self._saving:  # not while ``retire`` clears the folder
            return self._load_now()

    def _load_now(self) -> _State | None:
        if self.cache_dir is None or not self.cache_dir.is_dir():
            return None
        manifests = [f / "manifest.json" for f in self.cache_dir.iterdir() if not f.name.startswith(".")]
        saved = sorted((m for m in manifests if m.is_file()), key=_mtime, reverse=True)
        for manifest in saved[:2]:  # the newest, or the one before if it went meanwhile
            try:
                return self._read(manifest.parent)
            except (OSError, ValueError, KeyError) as err:
                log.warning("ignoring the saved keyword index in %s (%s)", manifest.parent, err)
                if manifest.parent.name == _safe(self.store.version()):
                    shutil.rmtree(manifest.parent, ignore_errors=True)  # so a sound one is saved in its place
        return None

    def _read(self, folder: Path) -> _State:
        assert self.cache_dir is not None
        meta = json.loads((folder / "manifest.json").read_text("utf-8"))
        if meta.get("format") != _FORMAT:
            raise ValueError("an older format")
        segments, live, run_live = [], [], []
        for n, name in enumerate(meta["pieces"]):
            segment = Segment.load(self.cache_dir / "pieces" / name, mapped=True)
            self._pieces[segment] = name
            segments.append(segment)
            if (folder / f"live-{n}.npy").is_file():
                rows = np.load(folder / f"live-{n}.npy", allow_pickle=False)
                runs = np.load(folder / f"runs-{n}.npy", allow_pickle=False)
                if rows.shape != (segment.rows,) or runs.shape != (len(segment.run_names),):
                    raise ValueError(f"{name}: masks of another size")
                live.append(rows.astype(bool))
                run_live.append(runs.astype(np.int32))
            else:
                live.append(None)
                run_live.append(None)
        return _State(meta["version"], meta["files"], Snapshot(tuple(segments), tuple(live), tuple(run_live)))

    def _mapped(self, state: _State) -> _State:
        """``state`` saved, its pieces then read back from their files as mapped pages: the
        operating system shares those between the workers that load the same copy and can
        drop them under memory pressure, where a built index is this process's alone (at
        500k chunks, some 360 MiB resident). Without a cache folder, ``state`` as it is."""
        self._save(state)
        cache = self.cache_dir  # once: ``retire`` may clear it meanwhile
        if cache is None:
            return state
        segments = []
        for segment in state.index.segments:
            name = self._pieces.get(segment)
            try:
                loaded = Segment.load(cache / "pieces" / name, mapped=True) if name else segment
            except (OSError, ValueError) as err:  # deleted meanwhile: keep the copy in memory
                log.info("keyword index piece %s not mapped: %s", name, err)
                loaded = segment
            if loaded is not segment:
                self._pieces[loaded] = name  # type: ignore[assignment]  # name is set when loaded
            segments.append(loaded)
        return _State(state.version, state.files, replace(state.index, segments=tuple(segments)))

    def _save(self, state: _State) -> None:
        with self._saving:
            self._save_now(state)

    def _save_now(self, state: _State) -> None:
        folder = self._folder(state.version)
        if folder is None or folder.exists():
            return
        assert self.cache_dir is not None
        pieces = self.cache_dir / "pieces"
        try:
            pieces.mkdir(parents=True, exist_ok=True)
            names = [self._save_piece(segment, pieces) for segment in state.index.segments]
            # Written aside and renamed into place, so a reader never sees half a snapshot.
            partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=self.cache_dir))
        except OSError as err:
            log.info("keyword index not saved in %s: %s", folder, err)
            return
        try:
            for n, (rows, runs) in enumerate(zip(state.index.live, state.index.run_live, strict=True)):
                if rows is not None and runs is not None:
                    np.save(partial / f"live-{n}.npy", rows, allow_pickle=False)
                    np.save(partial / f"runs-{n}.npy", runs, allow_pickle=False)
            meta = {"format": _FORMAT, "version": state.version, "files": state.files, "pieces": names}
            (partial / "manifest.json").write_text(json.dumps(meta), "utf-8")
            os.replace(partial, folder)
        except OSError as err:  # another process saved the same version first, or no space
            log.info("keyword index not saved in %s: %s", folder, err)
            shutil.rmtree(partial, ignore_errors=True)
            return
        self._forget_others(folder, set(names))

    def _save_piece(self, segment: Segment, pieces: Path) -> str:
        name = self._pieces.get(segment)
        if name is not None and (pieces / name).is_dir():
            return name  # saved once, then shared by every snapshot that holds it
        name = name or uuid.uuid4().hex
        partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=pieces))
        try:
            segment.save(partial / "piece")
            os.replace(partial / "piece", pieces / name)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        self._pieces[segment] = name
        return name

    def _forget_others(self, kept: Path, pieces: set[str]) -> None:
        assert self.cache_dir is not None
        for other in self.cache_dir.iterdir():
            # Older snapshots go; folders other processes are still writing stay.
            if other not in (kept, self.cache_dir / "pieces") and not other.name.startswith(".partial-"):
                shutil.rmtree(other, ignore_errors=True)
        now = time.time()
        for piece in (self.cache_dir / "pieces").iterdir():
            if piece.name not in pieces and now - _mtime(piece) > _ORPHAN_AGE_S:
                shutil.rmtree(piece, ignore_errors=True)

    # --- questions ---------------------------------------------------------------

    def mentions(self, text: str) -> bool:
        """Whether any stored passage contains ``text`` (case-sensitive), as ``ChromaStore.mentions``
        answers, but from memory: Chroma's ``$contains`` reads every passage, 100-200 ms a
        call at 100k chunks (bench/store_scale.py), and the answerer asks it for each name
        of a question that the retrieved passages lack.

        Exact for a text of letters and digits only (what the answerer asks): it occurs in
        a passage exactly when it occurs inside one of the passage's letter-and-digit runs.
        Anything else is passed on to the store.
        """
        if not _RUN.fullmatch(text):
            return bool(self.store.mentions(text))
        return self._current().index.mentions(text)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Up to ``k`` (chunk id, BM25 score) pairs, best first; only chunks sharing a term."""
        state = self._current()  # read once: an update swaps in a new one meanwhile
        query_tokens = content_terms(query)
        if not query_tokens:
            return []
        return state.index.search(query_tokens, k)


def _safe(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", version)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
