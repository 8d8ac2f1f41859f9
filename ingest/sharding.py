"""Which files one of several ingest processes takes: ``--shard 2/4``.

Every process walks the same folders and keeps the files whose path hashes to its
shard, so N processes (on one machine or many, sharing a Chroma server) together write
exactly what one process would, each file by exactly one of them. Chunk ids derive
from the file's path and content, so running a shard again rewrites the same ids.

    >>> Shard.parse("2/4").owns("/srv/docs/guide.html") in (True, False)
    True
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    number: int  # from 1
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"I/N"`` with 1 <= I <= N; a ``ValueError`` that says what to write otherwise."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise ValueError(f"--shard takes I/N with 1 <= I <= N, e.g. 2/4 (got {text!r})")
        return cls(int(match.group(1)), int(match.group(2)))

    def owns(self, path: str) -> bool:
        """Whether this shard ingests (and removes) the file at ``path``, as the index records it."""
        digest = hashlib.sha256(path.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.number - 1

    @property
    def name(self) -> str:
        return f"{self.number}/{self.count}"
