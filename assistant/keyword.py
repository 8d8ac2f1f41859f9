"""Keyword search (BM25, via ``bm25s``) over every stored chunk, for hybrid retrieval.

Dense search finds paraphrases; keyword search finds the rare exact terms a question
names (a package name, a command, a person) that embeddings blur. The index lives in
memory, is built on first use from the store, and is rebuilt when the store's
``version()`` changes, which any write by any process does: with a Chroma server, an
`assistant ingest` or another worker may have added, replaced or removed chunks since.
``invalidate()`` forces a rebuild too.

Building reads and tokenises every chunk (about 3 s at 18k chunks, 15-30 s at 100k), so
with a cache folder the built index is saved there under the store's version and a
new process (`assistant ask`, a restarted worker) loads it instead while the index is
unchanged. The files are bm25s's own (JSON and numpy arrays, no pickle).

    >>> index = KeywordIndex(store)
    >>> index.search("dpkg-source unpack", k=3)[0][0]
    '5d1c...'
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.text import content_terms

from .seams import Store

log = logging.getLogger(__name__)

# Maximal runs of ASCII letters and digits: what a name in a question is made of.
_RUN = re.compile(r"[A-Za-z0-9]+")


def tokens(text: str) -> list[str]:
    return content_terms(text) or ["∅"]  # bm25s cannot index an empty document


@dataclass(frozen=True)
class _Snapshot:
    """One built index, never changed once made: a rebuild makes a new one and swaps the
    reference, so a search that read it once sees ids and BM25 arrays that belong together."""

    version: str  # the store version the index reflects
    ids: tuple[str, ...]
    bm25: Any
    runs: str  # every distinct letter-and-digit run of the stored passages, one a line


class KeywordIndex:
    def __init__(self, store: Store, cache_dir: Path | None = None):
        self.store = store
        self.cache_dir = cache_dir
        self._lock = threading.Lock()  # one rebuild at a time
        self._state: _Snapshot | None = None
        self._stale = False  # set by invalidate(): rebuild even if the version looks the same

    def warm_up(self) -> None:
        """Build the index now rather than on the first question."""
        self._snapshot()

    def invalidate(self) -> None:
        self._stale = True

    def _snapshot(self) -> _Snapshot:
        """The current index, rebuilt first when the store changed.

        While another thread rebuilds, searches answer from the last index rather than
        queue behind it (a rebuild takes seconds at 100k chunks, and a long ingest
        changes the version with every file): chunks it names that are gone by now are
        skipped by the retriever, and new ones are found by dense search meanwhile.
        """
        state = self._state
        if state is not None and not self._stale and state.version == self.store.version():
            return state
        if not self._lock.acquire(blocking=state is None):
            return state  # type: ignore[return-value]  # not None: a blocking acquire never fails
        try:
            # The version is read before the chunks: a write that lands while the index is
            # being built changes the version again, so the next question rebuilds.
            # Cleared before the chunks are read: an invalidate() during the build sets it again.
            forced, self._stale = self._stale, False
            version = self.store.version()
            if self._state is not None and self._state.version == version and not forced:
                return self._state
            built = self._load(version)
            if built is None:
                built = self._build(version)
                self._save(built)
            self._state = built
            return built
        finally:
            self._lock.release()

    def _build(self, version: str) -> _Snapshot:
        import bm25s

        ids, corpus, runs = [], [], set()
        for chunk, _ in self.store.all_chunks():
            ids.append(chunk.id)
            corpus.append(tokens(f"{chunk.title} {' '.join(chunk.headings)} {chunk.text}"))
            runs.update(_RUN.findall(chunk.text))
        bm25 = bm25s.BM25()
        if corpus:
            bm25.index(corpus, show_progress=False)
        return _Snapshot(version, tuple(ids), bm25, "\n".join(runs))

    def _cached(self, version: str) -> Path | None:
        # A count is no fingerprint (a replaced chunk keeps it): only write tokens are cached.
        if self.cache_dir is None or version.startswith("count:"):
            return None
        return self.cache_dir / re.sub(r"[^A-Za-z0-9_-]", "_", version)

    def _load(self, version: str) -> _Snapshot | None:
        folder = self._cached(version)
        if folder is None or not (folder / "ids.json").is_file():
            return None
        import bm25s

        try:
            bm25 = bm25s.BM25.load(str(folder / "bm25"))
            ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
            runs = (folder / "runs.txt").read_text(encoding="utf-8")
        except (OSError, ValueError) as err:
            log.warning("ignoring the saved keyword index in %s (%s); rebuilding it", folder, err)
            shutil.rmtree(folder, ignore_errors=True)  # so the rebuilt one is saved in its place
            return None
        return _Snapshot(version, tuple(ids), bm25, runs)

    def _save(self, state: _Snapshot) -> None:
        folder = self._cached(state.version)
        if folder is None or not state.ids or folder.exists():
            return
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
            partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=self.cache_dir))
        except OSError as err:
            log.info("keyword index not saved in %s: %s", folder, err)
            return
        try:
            # Written aside and renamed into place, so a reader never sees half an index;
            # ids.json is what marks a folder complete.
            state.bm25.save(str(partial / "bm25"))
            (partial / "runs.txt").write_text(state.runs, encoding="utf-8")
            (partial / "ids.json").write_text(json.dumps(list(state.ids)), encoding="utf-8")
            os.replace(partial, folder)
        except OSError as err:  # another process saved the same version first, or no space
            log.info("keyword index not saved in %s: %s", folder, err)
            shutil.rmtree(partial, ignore_errors=True)
            return
        for stale in self.cache_dir.iterdir():  # type: ignore[union-attr]
            # Older versions go; folders other processes are still writing stay.
            if stale != folder and not stale.name.startswith(".partial-"):
                shutil.rmtree(stale, ignore_errors=True)

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
        return text in self._snapshot().runs

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Up to ``k`` (chunk id, BM25 score) pairs, best first; only chunks sharing a term."""
        state = self._snapshot()  # read once: a rebuild swaps in a new one meanwhile
        if not state.ids:
            return []
        query_tokens = content_terms(query)
        if not query_tokens:
            return []
        results, scores = state.bm25.retrieve(
            [query_tokens], k=min(k, len(state.ids)), show_progress=False, n_threads=1
        )
        return [(state.ids[int(i)], float(s)) for i, s in zip(results[0], scores[0], strict=True) if s > 0]
