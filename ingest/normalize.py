"""Clean block text and lay the blocks out as one normalised document string.

The normalised string is what citations point into: every chunk's ``start``/``end``
are offsets in it. Headings and paragraphs are separated by a blank line, list items
and the rows of a table by a newline, and a row's cells by a tab, so the structure
stays visible when a passage is shown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .blocks import Block, LoadedDocument

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """NFKC, no invisible or control characters, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Span:
    """Where one block landed in the normalised text."""

    kind: str
    level: int
    start: int
    end: int
    page: int | None


@dataclass(frozen=True)
class NormalisedDocument:
    title: str
    text: str
    spans: list[Span]


def normalise(document: LoadedDocument) -> NormalisedDocument:
    parts: list[str] = []
    spans: list[Span] = []
    cursor = 0
    previous: Block | None = None
    for block in document.blocks:
        # A table row keeps one tab between its cells; all other whitespace is collapsed.
        text = (
            "\t".join(c for cell in block.text.split("\t") if (c := clean(cell)))
            if block.kind == "row"
            else clean(block.text)
        )
        if not text:
            continue
        if previous is not None:
            separator = "\n" if block.kind == previous.kind and block.kind in ("item", "row") else "\n\n"
            parts.append(separator)
            cursor += len(separator)
        parts.append(text)
        spans.append(Span(block.kind, block.level, cursor, cursor + len(text), block.page))
        cursor += len(text)
        previous = block
    return NormalisedDocument(title=clean(document.title), text="".join(parts), spans=spans)
