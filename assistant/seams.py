"""The seams the assistant's parts plug into: small Protocols, so a store, a keyword
index or an answerer can be swapped (or faked in a test) without touching the rest.

- ``Store``: what retrieval, answers and document management read and change in the
  index (``vectorstore.chroma.ChromaStore`` is the one in use).
- ``KeywordSearch``: lexical search over the store's passages (``assistant.keyword.KeywordIndex``).
- ``Answerer``: answers from retrieved passages without a model
  (``assistant.extractive.ExtractiveAnswerer``); it also judges whether the passages
  are on the question's topic at all.
- ``Generator``: answers written by a language model (``assistant.llm.ChatModel``),
  whose cited sentences the assistant checks as they stream.

Adding one is described in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from core.records import Chunk, DocumentRecord, Hit

if TYPE_CHECKING:
    from .answer import Answer
    from .conversation import Turn


class Store(Protocol):
    def search(self, vector: np.ndarray, k: int, paths: Sequence[str] | None = None) -> list[Hit]:
        """The ``k`` passages nearest ``vector``, best first; empty for an empty index.
        With ``paths``, only passages of those files."""
        ...

    def nearest(self, vector: np.ndarray, k: int, paths: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """``(chunk id, similarity)`` of the ``k`` passages nearest ``vector``, as ``search``
        finds them, without reading the passages."""
        ...

    def chunk_ids_in(self, paths: Sequence[str]) -> set[str]:
        """The ids of every passage of these files."""
        ...

    def chunks_by_id(self, ids: list[str]) -> list[tuple[Chunk, np.ndarray]]: ...

    def opening_chunks(self, paths: Sequence[str], count: int = 1) -> list[Chunk]:
        """The first ``count`` passages of each of ``paths`` that is stored, file by file
        in the order given, each file's in document order."""
        ...

    def chunks_after(self, chunk: Chunk, count: int = 1) -> list[Chunk]:
        """Up to ``count`` passages that follow ``chunk`` in its document, in order."""
        ...

    def all_chunks(self) -> Iterator[tuple[Chunk, str]]: ...

    def path_chunks(self, paths: Iterable[str]) -> Iterator[tuple[Chunk, str]]:
        """The stored chunks of the given files, with their paths."""
        ...

    def mentions(self, text: str) -> bool:
        """Whether any stored passage contains ``text``."""
        ...

    def version(self) -> str:
        """Changes whenever the stored passages do (keyword indexes key their caches on it)."""
        ...

    def path_versions(self) -> dict[str, str]:
        """Per file whose passages were ever written: a token that changes with each write
        to them (what a keyword index compares to read only the files that changed)."""
        ...

    def count(self) -> int: ...

    def documents(self) -> dict[str, DocumentRecord]: ...

    def document(self, path: str) -> DocumentRecord | None: ...

    def delete_document(self, path: str) -> None: ...

    def embedding_model(self) -> str | None: ...

    def take_lease(self, name: str, owner: str, ttl_s: float, settle_s: float = 0.5) -> bool:
        """A lock kept in the store, seen by every process sharing it."""
        ...

    def release_lease(self, name: str, owner: str) -> None: ...

    def close(self) -> None: ...


class KeywordSearch(Protocol):
    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """``(chunk_id, score)`` for the ``k`` best lexical matches of ``query``."""
        ...

    def mentions(self, text: str) -> bool: ...

    def invalidate(self) -> None:
        """The store changed: look for what changed before the next search."""
        ...

    def warm_up(self) -> None: ...

    def retire(self) -> None:
        """The collection was deleted: save nothing more of it on disk."""
        ...


class Answerer(Protocol):
    def answer(
        self,
        question: str,
        hits: list[Hit],
        context: str = "",
        said: Sequence[str] = (),
        context_share: float | None = None,
        max_passages: int | None = None,
        about: Sequence[str] = (),
        sources: frozenset[str] = frozenset(),
    ) -> Answer:
        """An answer citing ``hits`` as ``[n]`` (1-based), at most ``max_passages`` of them,
        or an abstention; ``about`` names what a follow-up's pronouns stood for, ``sources``
        the documents the conversation's last answer quoted."""
        ...

    def rerank(
        self,
        question: str,
        hits: list[Hit],
        context: str = "",
        context_share: float | None = None,
        sources: frozenset[str] = frozenset(),
    ) -> list[Hit]: ...

    def off_topic(self, question: str, hits: list[Hit], context: str = "") -> bool:
        """Whether ``hits`` hold nothing relevant to ``question`` (answer by abstaining)."""
        ...

    def speaks_of(self, question: str, texts: Sequence[str]) -> bool:
        """Whether ``texts`` use each thing ``question`` asks about, in some form."""
        ...

    def overview(self, question: str, hits: list[Hit]) -> Answer:
        """What the documents whose opening passages are ``hits`` are about, in their own
        sentences ("What's this document about?")."""
        ...

    def warm_up(self) -> None: ...


class Generator(Protocol):
    def rewrite(self, question: str, history: list[Turn]) -> str:
        """A follow-up rewritten as a standalone question."""
        ...

    def stream_answer(self, question: str, history: list[Turn], hits: list[Hit]) -> Iterator[str]:
        """The answer text as it is generated, citing ``hits`` as ``[n]``."""
        ...

    def ping(self) -> str: ...
