"""Dense retrieval: embed the query, return the nearest passages with their scores.

>>> hits = Retriever(store, embedder).retrieve("Who is India's ambassador?", k=5)
>>> hits[0].score > hits[-1].score
True
"""

from __future__ import annotations

from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder
from vectorstore.errors import EmptyIndexError
from vectorstore.records import Hit


class Retriever:
    def __init__(self, store: ChromaStore, embedder: Embedder, top_k: int = 5):
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        self.store = store
        self.embedder = embedder
        self.top_k = top_k

    def retrieve(self, query: str, k: int | None = None) -> list[Hit]:
        """The ``k`` passages most similar to ``query``, best first."""
        if self.store.count() == 0:
            raise EmptyIndexError("The index is empty: run `assistant ingest PATH` to add documents first.")
        vector = self.embedder.embed([query])[0]
        return self.store.search(vector, k or self.top_k)
