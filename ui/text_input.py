"""Text that arrives at a front door must be real Unicode before it goes further.

JSON can carry a lone surrogate (``"\\ud800"``): Python decodes it into a ``str``
that cannot be encoded, so the tokenizer (or the response) would fail deep inside.
Request models that inherit ``UnicodeChecked`` refuse such text up front with a 422
that names the field, wherever in the body it is.

    >>> find_lone_surrogate({"question": "Who?", "history": [{"content": "a\\ud800"}]})
    ('history.0.content', '\\\\ud800')
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _lone(text: str) -> str | None:
    found = _SURROGATE.search(text)
    return None if found is None else f"\\u{ord(found.group()):04x}"


def find_lone_surrogate(value: Any) -> tuple[str, str] | None:
    """Where the first lone surrogate is (a dotted path, as validation errors name
    fields) and which one, or None when every string is valid Unicode."""
    stack: list[tuple[tuple[str, ...], Any]] = [((), value)]
    while stack:  # a loop, not recursion: a deeply nested body cannot exhaust the stack
        path, item = stack.pop()
        if isinstance(item, str) and (char := _lone(item)):
            return ".".join(path), char
        if isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                if isinstance(key, str) and (char := _lone(key)):
                    return ".".join((*path, _shown(key))), char
                stack.append(((*path, str(key)), child))
        elif isinstance(item, list):
            stack.extend(((*path, str(i)), child) for i, child in reversed(list(enumerate(item))))
    return None


def lone_surrogate_message(value: Any) -> str | None:
    """The message for text holding a lone surrogate (None when there is none)."""
    found = find_lone_surrogate(value)
    if found is None:
        return None
    where, char = found
    prefix = f"{where}: " if where else ""
    return f"{prefix}contains a lone surrogate ({char}), which is not valid Unicode text; send UTF-8 text."


class UnicodeChecked(BaseModel):
    """A request body whose strings, keys included, are all valid Unicode."""

    @model_validator(mode="before")
    @classmethod
    def _no_lone_surrogates(cls, data: Any) -> Any:
        message = lone_surrogate_message(data)
        if message is not None:
            raise PydanticCustomError("lone_surrogate", "{message}", {"message": message})
        return data
