"""The passages after a passage, remembered while the index stays as it was.

An answer quoting a line that announces the sections under it ("Several factors are
converging ...:") reads the passages after it to name them (``ExtractiveAnswerer``'s
``following``). On the bundled post that line is among the retrieved passages of most
questions, and each read is a query to the store: with a Chroma server, an HTTP round
trip that read 24 passages, a quarter of an answer's time. The passages after a passage
change only when the index does, so they are kept per version of the index: the
keyword index's, which every hybrid search checks against the store before it answers
(so another process's write is seen by the next question, as the keyword index sees it).

    >>> following = FollowingPassages(store, keywords.version)
    >>> following(chunk, 24) == store.chunks_after(chunk, 24)
    True
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from core.records import Chunk

from .seams import Store

# Passages whose followers are kept: a few lead-in lines recur question after question.
KEPT = 256


class FollowingPassages:
    def __init__(self, store: Store, version: Callable[[], str | None], kept: int = KEPT):
        """``version()`` names the state of the index the last search saw, or None when
        it is not known (nothing searched yet, or a write of this process not yet seen):
        then the store is read every time."""
        self.store = store
        self.version = version
        self.kept = kept
        self._lock = threading.Lock()  # the served app answers several questions at once
        self._found: OrderedDict[tuple[str, str, int], list[Chunk]] = OrderedDict()

    def __call__(self, chunk: Chunk, count: int) -> list[Chunk]:
        version = self.version()
        if version is None:
            return self.store.chunks_after(chunk, count)
        key = (version, chunk.id, count)
        with self._lock:
            if key in self._found:
                self._found.move_to_end(key)
                return list(self._found[key])
        found = self.store.chunks_after(chunk, count)
        with self._lock:
            if self._found and next(iter(self._found))[0] != version:
                self._found.clear()  # another version's passages are never asked for again
            self._found[key] = found
            while len(self._found) > self.kept:
                self._found.popitem(last=False)
        return list(found)
