"""Retrieval: dense search, optionally fused with keyword search.

- ``dense``: the ``k`` chunks nearest to the query embedding.
- ``hybrid`` (the default): dense and BM25 candidates fused by reciprocal rank (each
  list gives ``1 / (60 + rank)``), so a passage that either method ranks well comes
  up. Measured in docs/RETRIEVAL.md, like the diversification (MMR) that was tried
  and dropped because it lowered hit@5.

Every hit carries its cosine similarity to the query (also for keyword-only finds),
which the answerers use to judge relevance.

    >>> hits = Retriever(store, embedder, keywords=KeywordIndex(store)).retrieve("Who is India's ambassador?", k=5)
    >>> hits[0].score > 0.5
    True
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import copy_context
from typing import Literal

import numpy as np

from core.errors import EmptyIndexError
from core.records import Hit
from vectorstore.embeddings import Embedder

from .filters import SourceFilter
from .idioms import plain
from .seams import KeywordSearch, Store

RetrievalMode = Literal["dense", "hybrid"]
# The constant of reciprocal rank fusion (Cormack et al.); 60 is the usual choice.
RRF_K = 60
# Candidates each method contributes before fusion.
POOL = 20
# Keyword searches beside the embedding of their question: one per question in flight
# (the served app answers several at once); idle threads cost nothing. One pool per
# process: a forked child would inherit the parent's pool without its threads.
_SEARCHES: dict[int, ThreadPoolExecutor] = {}


def _searches() -> ThreadPoolExecutor:
    pid = os.getpid()
    if pid not in _SEARCHES:
        _SEARCHES.clear()
        _SEARCHES[pid] = ThreadPoolExecutor(max_workers=8, thread_name_prefix="keyword-search")
    return _SEARCHES[pid]


EMPTY = "The index is empty: run `assistant ingest PATH` to add documents first."


class Retriever:
    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        top_k: int = 5,
        mode: RetrievalMode = "hybrid",
        keywords: KeywordSearch | None = None,
        empty_message: str = EMPTY,
    ):
        """``keywords`` searches the same store by words; hybrid retrieval needs it.
        ``empty_message`` is what a question to an empty store is told."""
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        if mode not in ("dense", "hybrid"):
            raise ValueError(f"mode must be dense or hybrid, got {mode!r}")
        if mode == "hybrid" and keywords is None:
            raise ValueError("hybrid retrieval needs a keyword index (keywords=KeywordIndex(store))")
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.mode = mode
        self.keywords = keywords
        self.empty_message = empty_message

    def warm_up(self) -> None:
        """Build the keyword index before the first question."""
        if self.keywords is not None and self.mode == "hybrid":
            self.keywords.warm_up()

    def index_changed(self) -> None:
        """The store's passages changed: the keyword index catches up on the next search."""
        if self.keywords is not None:
            self.keywords.invalidate()

    def retrieve(self, query: str, k: int | None = None, only: SourceFilter | None = None) -> list[Hit]:
        """The ``k`` passages for ``query``, best first; with ``only``, from the documents
        it lets answer and no others (``NoMatchingDocumentsError`` when it lets none)."""
        k = k or self.top_k
        paths = self._paths(only)
        pool = k if self.mode == "dense" else max(k, POOL)
        keyword: Future[list[tuple[str, float]]] | None = None
        if self.mode == "hybrid":
            allowed = None if paths is None else self.store.chunk_ids_in(paths)
            # The keyword search runs while the question is embedded and the vectors
            # searched, which release the GIL. "bring to the table" is searched for as
            # "offer": the idiom's words are no keywords.
            # In a copy of this context: the question's read of the index (``one_question``).
            keyword = _searches().submit(copy_context().run, self._keyword, plain(query), pool, allowed)
        vector = self.embedder.embed([query])[0]
        if keyword is None:
            hits = self.store.search(vector, pool, paths)
            # An empty search means an empty index. Asking the store for its count first
            # cost a scan of every chunk per question (5 ms at 100k chunks, bench/store_scale.py).
            if not hits:
                raise EmptyIndexError(self.empty_message)
            return hits
        dense = self.store.nearest(vector, pool, paths)
        if not dense:
            raise EmptyIndexError(self.empty_message)
        return self._fuse(vector, dense, keyword.result(), k)

    def _paths(self, only: SourceFilter | None) -> list[str] | None:
        """The files ``only`` lets answer (``None``: every file)."""
        if only is None:
            return None
        records = self.store.documents().values()
        if not records:
            raise EmptyIndexError(self.empty_message)
        paths = only.paths(records)
        if not paths:
            raise only.nothing_matches()
        return paths

    def _keyword(self, query: str, pool: int, allowed: set[str] | None) -> list[tuple[str, float]]:
        """The ``pool`` best keyword hits among the ``allowed`` chunk ids (``None``: any).

        Hits outside are dropped here, before fusion; the search is widened until
        ``pool`` remain or no more hits exist, so a narrow filter still gets its share."""
        assert self.keywords is not None  # hybrid mode has one (checked in __init__)
        k = pool
        while True:
            found = self.keywords.search(query, k)
            if allowed is None:
                return found
            kept = [(chunk_id, score) for chunk_id, score in found if chunk_id in allowed]
            if len(kept) >= pool or len(found) < k:
                return kept[:pool]
            k *= 4

    def _fuse(
        self, vector: np.ndarray, dense: list[tuple[str, float]], keyword: list[tuple[str, float]], k: int
    ) -> list[Hit]:
        """The ``k`` best passages by reciprocal rank fusion; only they are read from the store."""
        fused: dict[str, float] = {}
        for rank, (chunk_id, _) in enumerate(dense, start=1):
            fused[chunk_id] = 1.0 / (RRF_K + rank)
        for rank, (chunk_id, _) in enumerate(keyword, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
        similarity = dict(dense)
        # A passage only one search found: its place there (fusion ranks it behind any
        # passage both found, however low).
        keyword_ids = {chunk_id for chunk_id, _ in keyword}
        alone = {chunk_id: rank for rank, (chunk_id, _) in enumerate(dense) if chunk_id not in keyword_ids}
        alone |= {chunk_id: rank for rank, (chunk_id, _) in enumerate(keyword) if chunk_id not in similarity}
        ordered = sorted(fused, key=lambda i: -fused[i])
        hits: list[Hit] = []
        while ordered and len(hits) < k:
            # A passage deleted since the searches is not read back: the next ones take its place.
            wanted, ordered = ordered[: k - len(hits)], ordered[k - len(hits) :]
            for chunk, stored in self.store.chunks_by_id(wanted):
                # Dense hits keep the search's own score; the others are scored alike.
                score = similarity.get(chunk.id)
                if score is None:
                    score = round(float(np.dot(stored, vector)), 4)
                hits.append(Hit(chunk, score=score, vector=stored, best=alone.get(chunk.id)))
        return hits
