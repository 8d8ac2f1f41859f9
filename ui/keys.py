"""API keys, and the collections each may read and write.

- ``ASSISTANT_API_KEYS=key1,key2``: keys that reach every collection, to read and to
  write (what a key meant before collections).
- ``ASSISTANT_API_KEYS_FILE=keys.json``: keys scoped to collections, a JSON object from
  key to ``{"read": [...], "write": [...]}``; a collection a key may write it may also
  read, and ``"*"`` stands for every collection::

      {"hr-bot-7f3a":   {"read": ["hr-handbook"]},
       "hr-editor-91c": {"write": ["hr-handbook"]},
       "ops-5d1e":      {"read": ["*"], "write": ["default"]}}

Both may be set; a key is looked up in constant time (every key is compared).

    >>> ring = KeyRing.from_settings(settings)
    >>> ring.lookup("hr-bot-7f3a").can_read("default")
    False
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from assistant.collections import check_name
from assistant.settings import Settings
from core.errors import CollectionNameError, SettingsError

EVERY = "*"


@dataclass(frozen=True)
class Access:
    """The collections one caller may read and write (``None``: every collection)."""

    read: frozenset[str] | None
    write: frozenset[str] | None

    def can_write(self, name: str) -> bool:
        return self.write is None or name in self.write

    def can_read(self, name: str) -> bool:
        return self.read is None or name in self.read or self.can_write(name)

    def readable(self, names: list[str]) -> list[str]:
        return [name for name in names if self.can_read(name)]


ALL = Access(None, None)
NONE = Access(frozenset(), frozenset())
OPEN = "open"  # who owns the conversations saved on a server that needs no key


def owner_of(key: str) -> str:
    """Who a key is when its conversations are saved: a hash of it, never the key."""
    return "key:" + hashlib.sha256(key.encode()).hexdigest()[:32]


class KeyRing:
    """Every key the server accepts, each with its ``Access``."""

    def __init__(self, keys: list[tuple[str, Access]]):
        self._keys = [(key.encode(), access) for key, access in keys]

    @property
    def required(self) -> bool:
        """Whether requests need a key at all (none configured: the server is open)."""
        return bool(self._keys)

    def lookup(self, candidate: str) -> Access | None:
        """What ``candidate`` may reach, or ``None`` when it is no key; every key is
        compared, without stopping at a match, so timing reveals nothing."""
        found: Access | None = None
        given = candidate.encode()
        for key, access in self._keys:
            if hmac.compare_digest(given, key):
                found = access
        return found

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        keys = [(key, ALL) for key in settings.api_keys]
        if settings.api_keys_file is not None:
            keys += _read_file(settings.api_keys_file)
        seen = [key for key, _ in keys]
        twice = next((key for key in seen if seen.count(key) > 1), None)
        if twice is not None:
            raise SettingsError(f"An API key is listed twice (it starts with {twice[:4]!r}); give each key once, in "
                                "ASSISTANT_API_KEYS or in ASSISTANT_API_KEYS_FILE.")  # fmt: skip
        return cls(keys)


def _read_file(path: Path) -> list[tuple[str, Access]]:
    where = f"ASSISTANT_API_KEYS_FILE ({path})"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SettingsError(f"{where} cannot be read: {err.strerror or err}.") from None
    except ValueError as err:
        raise SettingsError(f"{where} is not valid JSON ({err}).") from None
    if not isinstance(data, dict) or not data:
        raise SettingsError(f'{where} must hold a JSON object from key to scope, e.g. {{"KEY": {{"read": '
                            '["hr-handbook"], "write": []}}.')  # fmt: skip
    return [(key, _scope(key, scope, where)) for key, scope in data.items()]


def _scope(key: str, scope: object, where: str) -> Access:
    shown = f"the key starting {key[:4]!r}"
    if not key or any(c.isspace() or c == "," for c in key):
        raise SettingsError(f"{where}: {shown} is empty or holds spaces or commas; use a plain token.")
    if not isinstance(scope, dict) or set(scope) - {"read", "write"} or not scope:
        raise SettingsError(f'{where}: {shown} must map to {{"read": [...], "write": [...]}} (either may be left '
                            "out, not both).")  # fmt: skip
    lists = []
    for kind in ("read", "write"):
        names = scope.get(kind, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise SettingsError(f'{where}: {shown}: "{kind}" must be a list of collection names (or "*").')
        try:
            lists.append(None if EVERY in names else frozenset(check_name(n) for n in names))
        except CollectionNameError as err:
            raise SettingsError(f"{where}: {shown}: {err}") from None
    return Access(lists[0], lists[1])
