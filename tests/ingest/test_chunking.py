from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.text import sentence_spans
from ingest.blocks import Block, LoadedDocument
from ingest.chunking import Chunker
from ingest.loaders import load
from ingest.normalize import normalise
from vectorstore.embeddings import TokenCounter

from ..conftest import SEED_DOC

LIMIT = 256


def chunk_blocks(counter: TokenCounter, blocks: list[Block], target: int = 160):
    doc = normalise(LoadedDocument(title="T", blocks=blocks))
    return doc, Chunker(counter, target_tokens=target).chunk(doc, path="/docs/t.txt", source="t.txt")


def test_model_limit_is_read_from_the_model(counter: TokenCounter) -> None:
    assert counter.max_tokens == LIMIT


def test_seed_corpus_offsets_limits_and_headings(counter: TokenCounter) -> None:
    doc = normalise(load(SEED_DOC))
    chunks = Chunker(counter, target_tokens=160).chunk(doc, path=str(SEED_DOC), source="seed.txt")
    assert len(chunks) == 25
    for i, chunk in enumerate(chunks):
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert counter.count(chunk.embedding_text()) <= LIMIT
        assert chunk.index == i
    hagerty = next(c for c in chunks if "Bill Hagerty" in c.text)
    assert hagerty.headings == (
        "Recent Engagements: What Were the Discussions About?",
        "Trade Talks & Bilateral Trade Agreement",
    )
    # Chunks cover every non-heading character of the document, in order, without overlap.
    assert all(a.end <= b.start for a, b in itertools.pairwise(chunks))


def test_long_paragraph_is_cut_at_sentences_within_the_limit(counter: TokenCounter) -> None:
    sentences = [f"Sentence number {i} describes the energy partnership in some detail." for i in range(120)]
    doc, chunks = chunk_blocks(counter, [Block("heading", "Energy", 1), Block("paragraph", " ".join(sentences))])
    assert len(chunks) > 5
    for chunk in chunks:
        assert counter.count(chunk.embedding_text()) <= 160
        assert chunk.text.startswith("Sentence number") and chunk.text.endswith("detail.")
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert chunk.headings == ("Energy",)


def test_a_sentence_longer_than_the_limit_and_a_giant_word_still_fit(counter: TokenCounter) -> None:
    run_on = " ".join(["tariff"] * 900)
    blob = "x9" * 3000  # a base64-like run with no spaces
    doc, chunks = chunk_blocks(counter, [Block("paragraph", run_on), Block("paragraph", blob)], target=LIMIT)
    covered = set().union(*(range(c.start, c.end) for c in chunks))
    assert all(i in covered for i, ch in enumerate(doc.text) if not ch.isspace())
    for chunk in chunks:
        assert counter.count(chunk.embedding_text()) <= LIMIT
        assert doc.text[chunk.start : chunk.end] == chunk.text


def test_very_long_headings_cannot_push_a_chunk_over_the_limit(counter: TokenCounter) -> None:
    heading = "Heading " + "word " * 200
    blocks = [Block("heading", heading, 1), Block("heading", heading, 2), Block("heading", heading, 3)]
    blocks.append(Block("paragraph", " ".join(["Dense policy text about supply chains."] * 60)))
    _, chunks = chunk_blocks(counter, blocks, target=LIMIT)
    assert chunks
    assert all(counter.count(c.embedding_text()) <= LIMIT for c in chunks)


def test_chunks_never_cross_a_heading(counter: TokenCounter) -> None:
    blocks = [
        Block("heading", "Trade", 1), Block("paragraph", "Tariffs fell."),
        Block("heading", "Energy", 1), Block("paragraph", "LNG rose."),
    ]  # fmt: skip
    _, chunks = chunk_blocks(counter, blocks)
    assert [(c.headings, c.text) for c in chunks] == [(("Trade",), "Tariffs fell."), (("Energy",), "LNG rose.")]


@pytest.mark.parametrize("target", [70, 80, 100])
def test_a_signature_line_stays_with_the_description_under_it(counter: TokenCounter, target: int) -> None:
    # A reference manual's signature line describes nothing alone: a chunk that would end
    # with one leaves it to the next chunk, with its description.
    blocks = [Block("heading", "fsx", 1)]
    for i in range(12):
        blocks += [
            Block("paragraph", f"fsx.state{i}(path, mode={i})"),
            Block("paragraph", f"Return state {i} of the file at path, read from the journal and checked on disk."),
            Block("paragraph", f"To reset state {i} of every file, run fsx reset with the state and --all."),
        ]
    doc, chunks = chunk_blocks(counter, blocks, target=target)
    assert len(chunks) > 5
    for i in range(12):
        assert any(f"fsx.state{i}(" in c.text and f"Return state {i} " in c.text for c in chunks)
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert counter.count(chunk.embedding_text()) <= target


def test_ids_depend_on_content_not_position(counter: TokenCounter) -> None:
    first = [Block("heading", "A", 1), Block("paragraph", "Alpha text."), Block("heading", "B", 1),
             Block("paragraph", "Beta text.")]  # fmt: skip
    edited = [Block("heading", "A", 1), Block("paragraph", "Alpha text, now edited."), *first[2:]]
    _, before = chunk_blocks(counter, first)
    _, after = chunk_blocks(counter, edited)
    assert before[0].id != after[0].id
    assert before[1].id == after[1].id and before[1].start != after[1].start


def test_identical_passages_get_distinct_ids(counter: TokenCounter) -> None:
    blocks = [
        Block("heading", "A", 1),
        Block("paragraph", "Same."),
        Block("heading", "A", 1),
        Block("paragraph", "Same."),
    ]
    _, chunks = chunk_blocks(counter, blocks)
    assert len({c.id for c in chunks}) == 2


@pytest.mark.parametrize("target", [15, 300])
def test_target_outside_the_model_range_is_refused(counter: TokenCounter, target: int) -> None:
    with pytest.raises(ValueError, match="target_tokens must be between 16 and 256"):
        Chunker(counter, target_tokens=target)


_texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=1500)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(_texts, min_size=1, max_size=6), target=st.integers(32, 256))
def test_any_text_keeps_offsets_and_limits(counter: TokenCounter, paragraphs: list[str], target: int) -> None:
    blocks = [Block("paragraph", p) for p in paragraphs]
    doc, chunks = chunk_blocks(counter, blocks, target=target)
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert counter.count(chunk.embedding_text()) <= LIMIT


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param(
            "It matters for the U.S. The concept of a pillar follows.",
            ["It matters for the U.S.", "The concept of a pillar follows."],
            id="an-initialism-then-a-sentence-opener",
        ),
        pytest.param(
            "New bugfixes, features etc. It also lists bugs.",
            ["New bugfixes, features etc.", "It also lists bugs."],
            id="etc-then-a-sentence-opener",
        ),
        pytest.param("The U.S. Senate met. It agreed.", ["The U.S. Senate met.", "It agreed."], id="a-name-follows"),
        pytest.param(
            "Use a tool, e.g. The Sleuth Kit.", ["Use a tool, e.g. The Sleuth Kit."], id="for-example-goes-on"
        ),
    ],
)
def test_an_abbreviation_ends_a_sentence_when_the_next_word_opens_one(text: str, sentences: list[str]) -> None:
    assert [s for _, _, s in sentence_spans(text)] == sentences
