"""Handing freed memory back to the operating system.

Building the keyword index from every chunk allocates and frees some ten million small
objects (a passage's words, live only until it is numbered). The C allocator keeps the
pages they were on, so a server that built its index at 100k chunks stayed some 40%
larger than one that loaded the same index from its saved copy. glibc's
``malloc_trim(0)`` returns every free page of its heaps; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_freed_memory() -> bool:
    """Return free heap pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
