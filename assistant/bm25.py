"""BM25 that follows writes file by file: the keyword index's postings and arithmetic.

An index is a ``Snapshot``: a few immutable ``Segment``s (rows indexed once: each
term's postings, each row's length and the letter-and-digit runs of its passage)
and, per segment, which rows are still live. Adding a file's chunks adds a small
segment; removing them marks their rows dead. Nothing is scored ahead of time: the
document count, each term's document frequency and the average length change with
every write, so a search computes them from the live rows. A score is therefore the
one a build from scratch over the same passages gives, to the bit, and the one
``bm25s`` gave for it (Lucene's variant, k1 = 1.5, b = 0.75, float32 sums).

Small segments are folded into one as they pile up (``Snapshot.apply``), and
``compact()`` folds everything into one segment without its dead rows. Both copy
arrays; no passage is tokenised again.

    >>> index = Snapshot.build([Doc("c1", "a.txt", ["solar", "park"], {"Solar"})])
    >>> index.apply({"a.txt"}, [Doc("c2", "a.txt", ["wind"], {"Wind"})]).search(["wind"], 5)
    [('c2', 0.11507...)]
"""

from __future__ import annotations

import json
import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import count
from pathlib import Path
from typing import Literal

import numpy as np
from scipy import sparse

K1, B = 1.5, 0.75
# Small segments kept side by side before they are folded into one: each costs a few
# dictionary look-ups per query term, folding costs a copy of them all.
MAX_SMALL_SEGMENTS = 8


@dataclass(frozen=True)
class Doc:
    """One passage as the index sees it."""

    id: str
    path: str
    tokens: Sequence[str]  # its terms in order, repeats included (their count is the length)
    runs: Iterable[str]  # the distinct letter-and-digit runs of its text


@dataclass(frozen=True, eq=False)
class Segment:
    """Rows indexed once and never changed: postings by term (CSC), runs by row (CSR)."""

    ids: np.ndarray  # bytes, row -> chunk id (UTF-8)
    path_names: list[str]
    paths: np.ndarray  # int32, row -> index in path_names
    lengths: np.ndarray  # int32, terms per row
    term_names: list[str]
    term_ptr: np.ndarray  # int64, len(term_names) + 1: term t's postings are [ptr[t], ptr[t + 1])
    term_rows: np.ndarray  # int32, sorted within a term
    # uint8, or uint16 where a count passes 255: how often the term occurs in the row; a
    # quarter of the bytes of a float, and the postings are most of what a search reads.
    term_tf: np.ndarray
    run_names: list[str]
    run_ptr: np.ndarray  # int64, rows + 1: row r's runs are run_ids[ptr[r]:ptr[r + 1]]
    run_ids: np.ndarray  # int32

    @property
    def rows(self) -> int:
        return len(self.lengths)

    @cached_property
    def terms(self) -> dict[str, int]:
        return {term: i for i, term in enumerate(self.term_names)}

    @cached_property
    def path_codes(self) -> dict[str, int]:
        return {path: i for i, path in enumerate(self.path_names)}

    @cached_property
    def run_text(self) -> str:
        """Every run, one a line: a name occurs in a run when it occurs in this text."""
        return "\n".join(self.run_names)

    @cached_property
    def run_starts(self) -> np.ndarray:
        lengths = np.fromiter((len(r) + 1 for r in self.run_names), np.int64, len(self.run_names))
        return np.concatenate(([0], np.cumsum(lengths)))

    @cached_property
    def run_rows(self) -> np.ndarray:
        """Per run, how many rows hold it."""
        return np.bincount(self.run_ids, minlength=len(self.run_names)).astype(np.int32)

    @classmethod
    def build(cls, docs: Iterable[Doc]) -> Segment:
        """One segment of ``docs``, read once: each passage becomes numbers as it comes, so
        a build from every chunk holds no passage's words longer than that passage."""
        # Each new term or run takes the next number; map() over these dictionaries'
        # look-ups runs in C, which matters at some 50M term occurrences for 500k passages
        # (and so do machine integers rather than lists of Python ints).
        terms: defaultdict[str, int] = defaultdict(count().__next__)
        runs: defaultdict[str, int] = defaultdict(count().__next__)
        paths: defaultdict[str, int] = defaultdict(count().__next__)
        term_cols, run_cols = array("i"), array("i")
        lengths, run_counts, row_paths = array("i"), array("q"), array("i")
        ids: list[bytes] = []
        for doc in docs:
            term_cols.extend(map(terms.__getitem__, doc.tokens))
            lengths.append(len(doc.tokens))
            before = len(run_cols)
            run_cols.extend(map(runs.__getitem__, doc.runs))
            run_counts.append(len(run_cols) - before)
            row_paths.append(paths[doc.path])
            ids.append(doc.id.encode())
        n = len(ids)
        rows = np.repeat(np.arange(n, dtype=np.int32), np.frombuffer(lengths, np.int32))
        # Repeated (row, term) pairs are summed: the term's frequency in the row.
        postings = sparse.csc_matrix(
            (np.ones(len(term_cols), np.float32), (rows, np.frombuffer(term_cols, np.int32))), shape=(n, len(terms))
        )
        del rows, term_cols
        postings.sum_duplicates()
        return cls(
            ids=np.array(ids, dtype=bytes),
            path_names=list(paths),
            paths=np.array(row_paths, np.int32),
            lengths=np.array(lengths, np.int32),
            term_names=list(terms),
            term_ptr=postings.indptr.astype(np.int64),
            term_rows=postings.indices.astype(np.int32, copy=False),
            term_tf=_counts(postings.data),
            run_names=list(runs),
            run_ptr=np.concatenate(([0], np.cumsum(np.frombuffer(run_counts, np.int64)))).astype(np.int64),
            run_ids=np.array(run_cols, np.int32),
        )

    @classmethod
    def merge(cls, parts: Sequence[tuple[Segment, np.ndarray | None]]) -> Segment:
        """The live rows of ``parts`` (segment, live mask or None for all) as one segment,
        without the terms and runs no live row holds any more."""
        term_cols, term_rows, term_tf, run_ids, run_counts = [], [], [], [], []
        ids, paths, lengths = [], [], []
        terms: dict[str, int] = {}
        runs: dict[str, int] = {}
        path_codes: dict[str, int] = {}
        offset = 0
        for segment, live in parts:
            keep = np.ones(segment.rows, bool) if live is None else live
            renumber = np.cumsum(keep, dtype=np.int64) - 1 + offset
            term_map = np.fromiter((terms.setdefault(t, len(terms)) for t in segment.term_names), np.int64,
                                   len(segment.term_names))  # fmt: skip
            columns = np.repeat(np.arange(len(segment.term_names)), np.diff(segment.term_ptr))
            chosen = keep[segment.term_rows]
            term_cols.append(term_map[columns[chosen]])
            term_rows.append(renumber[segment.term_rows[chosen]])
            term_tf.append(segment.term_tf[chosen])
            run_map = np.fromiter((runs.setdefault(r, len(runs)) for r in segment.run_names), np.int64,
                                  len(segment.run_names))  # fmt: skip
            kept = np.flatnonzero(keep)
            run_ids.append(run_map[_take_rows(segment.run_ptr, segment.run_ids, kept)])
            run_counts.append(np.diff(segment.run_ptr)[kept])
            path_map = np.fromiter((path_codes.setdefault(p, len(path_codes)) for p in segment.path_names),
                                   np.int32, len(segment.path_names))  # fmt: skip
            ids.append(segment.ids[kept])
            paths.append(path_map[segment.paths[kept]])
            lengths.append(segment.lengths[kept])
            offset += len(kept)
        postings = sparse.csc_matrix(
            (np.concatenate(term_tf), (np.concatenate(term_rows), np.concatenate(term_cols))),
            shape=(offset, len(terms)),
        )
        postings.sort_indices()
        term_names = list(terms)
        held = np.diff(postings.indptr) > 0
        if not held.all():
            postings = postings[:, held]
            term_names = [t for t, h in zip(term_names, held, strict=True) if h]
        all_runs = np.concatenate(run_ids).astype(np.int64)
        run_names = list(runs)
        used = np.bincount(all_runs, minlength=len(run_names)) > 0
        if not used.all():
            run_names = [r for r, u in zip(run_names, used, strict=True) if u]
            all_runs = (np.cumsum(used) - 1)[all_runs]
        return cls(
            ids=np.concatenate(ids) if ids else np.array([], dtype=bytes),
            path_names=list(path_codes),
            paths=np.concatenate(paths).astype(np.int32),
            lengths=np.concatenate(lengths).astype(np.int32),
            term_names=term_names,
            term_ptr=postings.indptr.astype(np.int64),
            term_rows=postings.indices.astype(np.int32),
            term_tf=_counts(postings.data),
            run_names=run_names,
            run_ptr=np.concatenate(([0], np.cumsum(np.concatenate(run_counts)))).astype(np.int64),
            run_ids=all_runs.astype(np.int32),
        )

    # --- files: numpy arrays and JSON, no pickle ---------------------------------

    _ARRAYS = ("ids", "paths", "lengths", "term_ptr", "term_rows", "term_tf", "run_ptr", "run_ids")
    _LISTS = ("path_names", "term_names", "run_names")

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        for name in self._ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)
        for name in self._LISTS:
            (folder / f"{name}.json").write_text(json.dumps(getattr(self, name), ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path, mapped: bool = False) -> Segment:
        """The segment saved in ``folder``; ``mapped``, its arrays are the files' pages,
        read as searches touch them, rather than copies in this process's memory."""
        mode: Literal["r"] | None = "r" if mapped else None
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode=mode, allow_pickle=False) for name in cls._ARRAYS}
        lists = {name: json.loads((folder / f"{name}.json").read_text("utf-8")) for name in cls._LISTS}
        segment = cls(**arrays, **lists)
        if len(segment.term_ptr) != len(segment.term_names) + 1 or len(segment.run_ptr) != segment.rows + 1:
            raise ValueError(f"{folder.name}: arrays of different lengths")
        return segment


def _counts(tf: np.ndarray) -> np.ndarray:
    """Term counts in the smallest type that holds them: a passage of 256 word pieces
    repeats a word 255 times only if it is little else."""
    return tf.astype(np.uint8 if not len(tf) or tf.max() <= np.iinfo(np.uint8).max else np.uint16)


def _take_rows(ptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The CSR values of ``rows``, concatenated in their order."""
    starts = ptr[rows]
    counts = ptr[rows + 1] - starts
    if not len(rows):
        return values[:0]
    return values[np.arange(int(counts.sum())) + np.repeat(starts - (np.cumsum(counts) - counts), counts)]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """An index that is never changed once made: ``apply`` and ``compact`` return new
    ones, so a search that holds one sees rows, masks and statistics that belong together."""

    segments: tuple[Segment, ...]
    # Per segment: which rows are live (None: all), and per run how many live rows hold it.
    live: tuple[np.ndarray | None, ...]
    run_live: tuple[np.ndarray | None, ...]

    @classmethod
    def build(cls, docs: Iterable[Doc]) -> Snapshot:
        return cls((Segment.build(docs),), (None,), (None,))

    @cached_property
    def docs(self) -> int:
        return sum(
            s.rows if live is None else int(live.sum()) for s, live in zip(self.segments, self.live, strict=True)
        )

    @cached_property
    def total_length(self) -> int:
        return sum(
            int(s.lengths.sum(dtype=np.int64) if live is None else s.lengths[live].sum(dtype=np.int64))
            for s, live in zip(self.segments, self.live, strict=True)
        )

    @cached_property
    def norms(self) -> tuple[np.ndarray, ...]:
        """Per row, BM25's length normalisation k1 * (1 - b + b * length / average length),
        in the order of operations bm25s uses, so the float64 values are the same."""
        average = self.total_length / self.docs if self.docs else 1.0
        return tuple(K1 * ((1 - B) + B * s.lengths.astype(np.float64) / average) for s in self.segments)

    @property
    def dead(self) -> int:
        return sum(s.rows for s in self.segments) - self.docs

    def worth_compacting(self) -> bool:
        """Whether folding everything into one segment pays: the small segments have
        grown to an eighth of the base, or a quarter of all rows are dead."""
        base = self.segments[0].rows
        small = sum(s.rows for s in self.segments[1:])
        return small > max(1000, base // 8) or self.dead > max(1000, (base + small) // 4)

    def apply(self, removed: Iterable[str], added: Sequence[Doc]) -> Snapshot:
        """This index without the rows of the ``removed`` paths and with ``added``."""
        removed = set(removed)
        live, run_live = list(self.live), list(self.run_live)
        for i, segment in enumerate(self.segments):
            codes = [segment.path_codes[p] for p in removed if p in segment.path_codes]
            if not codes:
                continue
            mask, counts = live[i], run_live[i]
            was = np.ones(segment.rows, bool) if mask is None else mask
            dying = np.isin(segment.paths, codes) & was
            if not dying.any():
                continue
            held = segment.run_rows if counts is None else counts
            gone = np.bincount(_take_rows(segment.run_ptr, segment.run_ids, np.flatnonzero(dying)),
                               minlength=len(segment.run_names))  # fmt: skip
            live[i], run_live[i] = was & ~dying, (held - gone).astype(np.int32)
        parts = list(zip(self.segments, live, run_live, strict=True))
        if added:
            parts.append((Segment.build(added), None, None))
        base, small = parts[:1], [p for p in parts[1:] if p[1] is None or p[1].any()]
        if len(small) > MAX_SMALL_SEGMENTS:
            small = [(Segment.merge([(s, m) for s, m, _ in small]), None, None)]
        kept = base + small
        return Snapshot(tuple(p[0] for p in kept), tuple(p[1] for p in kept), tuple(p[2] for p in kept))

    def compact(self) -> Snapshot:
        """The same index in one segment, without dead rows."""
        return Snapshot((Segment.merge(list(zip(self.segments, self.live, strict=True))),), (None,), (None,))

    def search(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        """Up to ``k`` (chunk id, BM25 score) pairs for the query ``terms`` (repeats count
        twice, as in bm25s), best first, ties by id; only rows sharing a term."""
        if not self.docs or k < 1:
            return []
        scores: list[np.ndarray | None] = [None] * len(self.segments)
        for term in terms:
            found, df = [], 0
            for i, segment in enumerate(self.segments):
                column = segment.terms.get(term)
                if column is None:
                    continue
                start, end = segment.term_ptr[column], segment.term_ptr[column + 1]
                rows, tf = segment.term_rows[start:end], segment.term_tf[start:end]
                live = self.live[i]
                if live is not None:
                    keep = live[rows]
                    rows, tf = rows[keep], tf[keep]
                if len(rows):
                    found.append((i, rows, tf.astype(np.float64)))
                    df += len(rows)
            if not df:
                continue
            # bm25s keeps idf in float32 and multiplies it into a float64 term-frequency part.
            idf = float(np.float32(math.log(1 + (self.docs - df + 0.5) / (df + 0.5))))
            for i, rows, tf in found:
                if scores[i] is None:
                    scores[i] = np.zeros(self.segments[i].rows, np.float32)
                scores[i][rows] += (idf * (tf / (self.norms[i][rows] + tf))).astype(np.float32)  # type: ignore[index]
        return self._best(scores, k)

    def _best(self, scores: list[np.ndarray | None], k: int) -> list[tuple[str, float]]:
        values, owners, rows = [], [], []
        for i, segment_scores in enumerate(scores):
            if segment_scores is None:
                continue
            hit = np.flatnonzero(segment_scores > 0)
            values.append(segment_scores[hit])
            owners.append(np.full(len(hit), i))
            rows.append(hit)
        if not values:
            return []
        value, owner, row = np.concatenate(values), np.concatenate(owners), np.concatenate(rows)
        if len(value) > k:
            # Everything that ties with the k-th best stays, so ties are settled by id.
            chosen = value >= np.partition(value, -k)[-k]
            value, owner, row = value[chosen], owner[chosen], row[chosen]
        found = [(self.segments[o].ids[r].decode(), float(v)) for v, o, r in zip(value, owner, row, strict=True)]
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found[:k]

    def mentions(self, text: str) -> bool:
        """Whether a live passage has a letter-and-digit run that contains ``text``."""
        for segment, held in zip(self.segments, self.run_live, strict=True):
            haystack = segment.run_text
            at = haystack.find(text)
            if held is None:
                if at >= 0:
                    return True
                continue
            while at >= 0:  # a match may be in a run only dead rows hold: look further
                run = int(np.searchsorted(segment.run_starts, at, side="right")) - 1
                if held[run] > 0:
                    return True
                at = haystack.find(text, int(segment.run_starts[run + 1]))
        return False
