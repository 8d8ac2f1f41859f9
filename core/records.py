"""The records that travel between ingestion, the store and the answerer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Chunk:
    """One passage of a document, as stored and as cited.

    ``start``/``end`` are character offsets into the normalised document text, so
    ``document_text[start:end] == text`` always holds.
    """

    id: str
    text: str
    source: str
    title: str
    headings: tuple[str, ...]
    index: int
    start: int
    end: int
    page: int | None = None

    @property
    def heading_path(self) -> str:
        return " > ".join(self.headings)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def embedding_text(self, with_headings: bool = True) -> str:
        """The string that is embedded: headings give a short passage its topic.

        Only the innermost three headings, each cut to 80 characters, so that deep or
        verbose heading trails cannot crowd the passage out of the model's input.
        """
        if self.headings and with_headings:
            context = " > ".join(h[:80] for h in self.headings[-3:])
            return f"{context}\n{self.text}"
        return self.text


@dataclass(frozen=True)
class DocumentRecord:
    """What the index knows about one ingested file."""

    path: str
    source: str
    title: str
    file_hash: str
    chunks: int
    complete: bool

    @property
    def id(self) -> str:
        return document_id(self.path)


def document_id(path: str) -> str:
    """The stable public id of a file in the index (its path is not shown to clients)."""
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Hit:
    """A chunk returned by a search, with its cosine similarity to the query and its vector."""

    chunk: Chunk
    score: float
    vector: Any = field(default=None, repr=False, compare=False)
    # Its best place (from 0) in any one search before fusion: a passage that only the
    # keyword search found, first there, was ranked first by a search though fusion
    # puts it behind passages both searches found. ``None``: one search only.
    best: int | None = field(default=None, compare=False)


def chunk_id(path: str, embedded_text: str, occurrence: int) -> str:
    """Ids derive from the file and the embedded content only.

    An edit elsewhere in the file leaves this chunk's id unchanged, so its stored
    embedding is reused; ``occurrence`` separates identical passages in one file.
    """
    digest = hashlib.sha256(f"{path}\x00{embedded_text}\x00{occurrence}".encode())
    return digest.hexdigest()[:32]
