from __future__ import annotations

import json
import re
from pathlib import Path

import bm25s
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.bm25 import Doc, Segment, Snapshot
from assistant.keyword import tokens
from core.text import content_terms
from tests.conftest import SEED_DOC, SEED_QUESTIONS

RUN = re.compile(r"[A-Za-z0-9]+")


def _doc(chunk_id: str, path: str, text: str) -> Doc:
    return Doc(chunk_id, path, tokens(text), set(RUN.findall(text)))


def _seed_docs() -> list[Doc]:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", SEED_DOC.read_text()) if s.strip()]
    return [_doc(f"s{i:03d}", f"part-{i % 7}.txt", s) for i, s in enumerate(sentences)]


def _questions() -> list[str]:
    return [json.loads(line)["question"] for line in SEED_QUESTIONS.read_text().splitlines() if line]


def test_scores_are_those_of_bm25s_on_the_seed_document_and_questions() -> None:
    docs = _seed_docs()
    reference = bm25s.BM25()
    reference.index([list(d.tokens) for d in docs], show_progress=False)
    index = Snapshot.build(docs)
    assert len(docs) == 92
    compared = 0
    for question in _questions():
        terms = content_terms(question)
        if not terms:
            continue
        rows, scores = reference.retrieve([terms], k=len(docs), show_progress=False, n_threads=1)
        expected = {docs[int(r)].id: float(s) for r, s in zip(rows[0], scores[0], strict=True) if s > 0}
        found = index.search(terms, len(docs))
        assert dict(found) == expected  # the same float32 values, bit for bit
        assert [s for _, s in found] == sorted(expected.values(), reverse=True)
        compared += bool(expected)
    assert compared == 60


def test_ties_are_ordered_by_id_and_k_cuts_after_them() -> None:
    docs = [_doc(i, "a.txt", "solar park") for i in ("c", "a", "b")] + [_doc("d", "b.txt", "solar")]
    index = Snapshot.build(docs)
    assert [i for i, _ in index.search(["solar", "park"], 2)] == ["a", "b"]
    assert [i for i, _ in index.search(["solar"], 4)] == ["d", "a", "b", "c"]  # the shorter passage first
    assert index.search(["wind"], 4) == [] and index.search(["solar"], 0) == []


def test_a_segment_saved_and_loaded_is_the_same(tmp_path: Path) -> None:
    segment = Segment.build(_seed_docs())
    segment.save(tmp_path / "piece")
    loaded = Segment.load(tmp_path / "piece")
    for name in (*Segment._ARRAYS, *Segment._LISTS):
        assert np.array_equal(getattr(loaded, name), getattr(segment, name)), name
    assert sorted(p.name for p in (tmp_path / "piece").iterdir()) == sorted(
        [f"{n}.npy" for n in Segment._ARRAYS] + [f"{n}.json" for n in Segment._LISTS]
    )


def test_a_count_past_255_keeps_its_value_and_score() -> None:
    # Counts take one byte each, until a passage repeats a word more often than that.
    few = Snapshot.build([_doc("a", "a.txt", "solar " * 255), _doc("b", "a.txt", "solar park")])
    many = few.apply({"a.txt"}, [_doc("a", "a.txt", "solar " * 300), _doc("b", "a.txt", "solar park")]).compact()
    assert [s.term_tf.dtype for s in (*few.segments, *many.segments)] == [np.uint8, np.uint16]
    assert int(many.segments[0].term_tf.max()) == 300
    reference = bm25s.BM25()
    reference.index([list(tokens("solar " * 300)), list(tokens("solar park"))], show_progress=False)
    rows, scores = reference.retrieve([["solar"]], k=2, show_progress=False, n_threads=1)
    expected = [("ab"[int(r)], float(s)) for r, s in zip(rows[0], scores[0], strict=True)]
    assert many.search(["solar"], 2) == expected  # bit for bit


# A small vocabulary, so random passages share terms and runs; one passage has no terms.
WORDS = ["solar", "parks", "Wind", "farm", "grid", "grids", "Kwatra", "F414", "2030", "the", "of", "LNG"]
QUERIES = [["solar"], ["park", "grid"], ["wind", "wind", "farm"], ["kwatra", "f414", "2030", "lng"], ["absent"]]
PROBES = ["Sol", "solar", "Wind", "wind", "414", "F41", "Kwatra", "LNG", "NG", "2030", "30", "x"]

passage = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8).map(" ".join)
write = st.tuples(st.just("write"), st.sampled_from("abcdef"), st.lists(passage, min_size=1, max_size=4))
remove = st.tuples(st.just("remove"), st.sampled_from("abcdef"), st.just([]))
compact = st.tuples(st.just("compact"), st.just(""), st.just([]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(write, remove, compact), min_size=1, max_size=40))
def test_adds_and_removes_give_the_results_and_scores_of_a_build_from_scratch(ops: list) -> None:
    files: dict[str, list[Doc]] = {}
    index = Snapshot.build([])
    for step, (op, path, texts) in enumerate(ops):
        if op == "write":  # a file written again replaces all its chunks, as ingest does
            files[path] = [_doc(f"{path}{step}-{i}", path, t) for i, t in enumerate(texts)]
            index = index.apply({path}, files[path])
        elif op == "remove":
            files.pop(path, None)
            index = index.apply({path}, [])
        else:
            index = index.compact()
        scratch = Snapshot.build([d for docs in files.values() for d in docs])
        assert (index.docs, index.total_length) == (scratch.docs, scratch.total_length)
        for query in QUERIES:
            assert index.search(query, 5) == scratch.search(query, 5)
            assert index.search(query, 100) == scratch.search(query, 100)
        for probe in PROBES:
            assert index.mentions(probe) == scratch.mentions(probe), probe
    assert len(index.segments) <= 10


def test_small_pieces_are_folded_together_and_compaction_drops_dead_rows() -> None:
    index = Snapshot.build([_doc("base", "base.txt", "solar parks")])
    for n in range(12):
        index = index.apply({f"{n}.txt"}, [_doc(f"c{n}", f"{n}.txt", f"solar grid {n}")])
    assert len(index.segments) == 5  # the base, the nine folded at the ninth write, three more
    index = index.apply({"0.txt", "1.txt"}, [])
    assert (index.docs, index.dead) == (11, 2)
    folded = index.compact()
    assert (len(folded.segments), folded.docs, folded.dead) == (1, 11, 0)
    assert folded.search(["solar", "grid"], 20) == index.search(["solar", "grid"], 20)
    assert "0" not in folded.segments[0].run_names and folded.mentions("11") and not folded.mentions("Wind")


@pytest.mark.parametrize(("removed", "expected"), [((), True), (("a.txt",), True), (("a.txt", "b.txt"), False)])
def test_a_name_only_dead_passages_held_is_not_mentioned(removed: tuple[str, ...], expected: bool) -> None:
    index = Snapshot.build([_doc("1", "a.txt", "Kwatra met Hagerty"), _doc("2", "b.txt", "Ambassador Kwatra")])
    index = index.apply(removed, [_doc("3", "c.txt", "Kwat is no name")])
    assert index.mentions("Kwatra") is expected
    assert index.mentions("Kwat")  # a run of the live passage holds it


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # The consonant doubled before an ending is one: "plugged" is "plug", as asked.
        ("plugged stopping planned committed", ["plug", "stop", "plan", "commit"]),
        # Words that end in a doubled l, s, z or f keep it, and short ones keep their ending.
        ("falling passed buzzing staffed adding", ["fall", "pass", "buzz", "staff", "adding"]),
        # Nor words that end doubled themselves, nor a wedding ("Wed" is a day).
        ("boycotted boycott wedding", ["boycott", "boycott", "wedd"]),
    ],
)
def test_a_doubled_consonant_before_an_ending_is_stemmed_as_one(text: str, terms: list[str]) -> None:
    assert content_terms(text) == terms
