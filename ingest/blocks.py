"""The structural unit every loader produces: a heading, a paragraph or a list item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "row"]


@dataclass(frozen=True)
class Block:
    """One structural piece of a document, before normalisation.

    A ``row`` of a table holds its cells apart by tab characters.

    ``level`` is the heading depth (1 = top) for headings and 0 otherwise; ``page``
    is the 1-based page of a PDF, ``None`` for formats without pages.
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None


@dataclass(frozen=True)
class LoadedDocument:
    """A file turned into blocks, with the title the user will see in citations."""

    title: str
    blocks: list[Block]
