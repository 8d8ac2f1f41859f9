"""Filters on a question: answer only from documents whose source matches a glob, or
of some file types. Both searches honour them: dense search is asked for those
documents' passages only (a Chroma ``where`` on their paths), and keyword hits from
other documents are dropped before fusion, so a filtered-out document is never cited.

A glob is matched against the end of a document's source, as shown in citations, at a
folder boundary: ``*.pdf`` matches every PDF, ``handbook/*.md`` the Markdown files
directly in any ``handbook`` folder, ``handbook/**`` everything under one. ``*`` and
``?`` stay within a folder name, ``**`` crosses folders, ``[abc]`` is one of those
characters; a glob starting with ``/`` is matched from the start of the source.
Several globs (or types) mean any of them; globs and types together mean both.

    >>> only = SourceFilter.of(sources=["handbook/*.md"], types=["md", "pdf"])
    >>> only.matches("docs/handbook/leave.md"), only.matches("handbook/2024/leave.md")
    (True, False)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from core.errors import InvalidFilterError, NoMatchingDocumentsError
from core.records import DocumentRecord

# The file types documents are ingested from (ingest/loaders.py), by the name a filter uses.
TYPES: dict[str, tuple[str, ...]] = {
    "txt": (".txt", ".text"),
    "md": (".md", ".markdown"),
    "html": (".html", ".htm"),
    "pdf": (".pdf",),
    "docx": (".docx",),
}
MAX_GLOBS = 20
MAX_GLOB_CHARS = 200


def _type_name(given: str) -> str:
    name = given.strip().lower().removeprefix(".")
    for known, suffixes in TYPES.items():
        if f".{name}" in suffixes:
            return known
    raise InvalidFilterError(f"{given!r} is not a file type documents are read from: use {', '.join(TYPES)}.")


@functools.lru_cache(maxsize=256)
def _pattern(glob: str) -> re.Pattern[str]:
    if not glob.strip() or len(glob) > MAX_GLOB_CHARS or "\x00" in glob:
        raise InvalidFilterError(f"{glob[:40]!r} is no source glob: give 1-{MAX_GLOB_CHARS} characters, e.g. "
                                 "'handbook/*.md' or '*.pdf'.")  # fmt: skip
    out, i = [], 0
    body = glob.lstrip("/")
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        elif body[i] == "[" and (end := body.find("]", i + 2)) > 0:
            inside = body[i + 1 : end]
            negated = inside.startswith("!")
            inside = re.escape(inside[1:] if negated else inside).replace("\\-", "-")
            out.append(f"[{'^' if negated else ''}{inside}]")
            i = end + 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    anchor = "^/?" if glob.startswith("/") else "(?:^|.*/)"
    return re.compile(anchor + "".join(out) + "$")


@dataclass(frozen=True)
class SourceFilter:
    """Which documents may answer: sources matching one of ``sources`` (globs), of one
    of ``types`` (txt, md, html, pdf, docx). Empty means no restriction of that kind."""

    sources: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    @classmethod
    def of(cls, sources: Sequence[str] | None = None, types: Sequence[str] | None = None) -> SourceFilter | None:
        """The filter for the given globs and types, checked (``InvalidFilterError`` saying
        what is allowed); ``None`` when neither restricts anything."""
        globs, kinds = list(sources or ()), list(types or ())
        if len(globs) > MAX_GLOBS or len(kinds) > len(TYPES) * 2:
            raise InvalidFilterError(f"Give at most {MAX_GLOBS} source globs and one entry per file type.")
        for glob in globs:
            _pattern(glob)
        names = tuple(dict.fromkeys(_type_name(kind) for kind in kinds))
        if not globs and not names:
            return None
        return cls(tuple(dict.fromkeys(globs)), names)

    def matches(self, source: str) -> bool:
        """Whether a document with this source may answer."""
        path = source.replace("\\", "/")
        if self.types and PurePosixPath(path).suffix.lower() not in {s for t in self.types for s in TYPES[t]}:
            return False
        return not self.sources or any(_pattern(glob).match(path) for glob in self.sources)

    def paths(self, records: Iterable[DocumentRecord]) -> list[str]:
        """The stored paths of the documents that may answer."""
        return sorted(record.path for record in records if self.matches(record.source))

    def describe(self) -> str:
        parts = []
        if self.sources:
            parts.append(f"sources {', '.join(repr(g) for g in self.sources)}")
        if self.types:
            parts.append(f"types {', '.join(self.types)}")
        return " and ".join(parts)

    def nothing_matches(self) -> NoMatchingDocumentsError:
        return NoMatchingDocumentsError(
            f"No document in the collection matches {self.describe()}; widen the filter, or leave it out to search "
            "every document."
        )
