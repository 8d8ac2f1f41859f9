"""Filters on a question (source globs, file types): what they match, the errors for bad
ones, and, on a real Chroma index with the real model, that a filtered-out document is
never retrieved or cited, by dense search or by keyword search (BM25) alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import Application, build_application
from assistant.filters import TYPES, SourceFilter
from assistant.settings import Settings
from core.errors import EmptyIndexError, InvalidFilterError, NoMatchingDocumentsError
from ingest.loaders import LOADERS

from ..helpers import write_corpus

VALVE = "# Spares\n\nOrder the spare valve for the pump under the code zq7731 from the depot in Pune.\n"
# Dense search ranks the valve passage below the 20 it takes; only BM25 finds it (checked below).
KEYWORD_ONLY = "Who should order zq7731 for the officials delegation?"
ABSTAINED = "I could not find the answer to that in the indexed documents."


@pytest.mark.parametrize(
    ("globs", "types", "source", "matches"),
    [
        (["*.md"], [], "docs/handbook/leave.md", True),
        (["handbook/*.md"], [], "docs/handbook/leave.md", True),
        (["handbook/*.md"], [], "handbook/leave.md", True),
        (["handbook/*.md"], [], "handbook/2024/leave.md", False),
        (["handbook/*.md"], [], "myhandbook/leave.md", False),
        (["handbook/**"], [], "docs/handbook/2024/leave.md", True),
        (["**/2024/*.md"], [], "handbook/2024/leave.md", True),
        (["/docs/*.md"], [], "/docs/leave.md", True),
        (["/docs/*.md"], [], "/srv/docs/leave.md", False),
        (["leave-202?.md"], [], "hr/leave-2024.md", True),
        (["leave-[12].md"], [], "hr/leave-2.md", True),
        (["leave-[!12].md"], [], "hr/leave-2.md", False),
        (["*.txt", "*.md"], [], "a/notes.md", True),
        ([], ["pdf", "md"], "a/notes.markdown", True),
        ([], [".PDF"], "a/scan.pdf", True),
        ([], ["html"], "a/page.htm", True),
        ([], ["txt"], "a/notes.md", False),
        (["handbook/*"], ["md"], "handbook/leave.md", True),
        (["handbook/*"], ["md"], "handbook/leave.pdf", False),
        (["C:/docs/*.md"], [], "C:\\docs\\leave.md", True),
    ],
    ids=lambda v: repr(v) if isinstance(v, list) else str(v),
)  # fmt: skip
def test_what_a_filter_matches(globs: list[str], types: list[str], source: str, matches: bool) -> None:
    only = SourceFilter.of(globs, types)
    assert only is not None
    assert only.matches(source) is matches


def test_no_globs_and_no_types_is_no_filter() -> None:
    assert SourceFilter.of(None, None) is None
    assert SourceFilter.of([], []) is None
    assert SourceFilter.of(["*.md", "*.md"], ["markdown", "md"]) == SourceFilter(("*.md",), ("md",))


def test_every_type_documents_are_read_from_can_filter() -> None:
    assert sorted(s for suffixes in TYPES.values() for s in suffixes) == sorted(LOADERS)


@pytest.mark.parametrize(
    ("globs", "types", "message"),
    [
        ([], ["xls"], "'xls' is not a file type documents are read from: use txt, md, html, pdf, docx."),
        ([" "], [], "' ' is no source glob: give 1-200 characters, e.g. 'handbook/*.md' or '*.pdf'."),
        (["a" * 201], [], f"{'a' * 40!r} is no source glob: give 1-200 characters, e.g. 'handbook/*.md' or '*.pdf'."),
        (["*"] * 21, [], "Give at most 20 source globs and one entry per file type."),
    ],
    ids=["unknown-type", "blank-glob", "long-glob", "too-many"],
)  # fmt: skip
def test_a_bad_filter_says_what_is_allowed(globs: list[str], types: list[str], message: str) -> None:
    with pytest.raises(InvalidFilterError) as refused:
        SourceFilter.of(globs, types)
    assert str(refused.value) == message


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Application]:
    """40 reports (.txt, in part0/ part1/ part2/) and the valve notes (.md), in one index."""
    folder = tmp_path_factory.mktemp("filters")
    write_corpus(folder / "docs", 40)
    (folder / "docs" / "valve.md").write_text(VALVE, encoding="utf-8")
    opened = build_application(Settings(data_dir=folder / "data"), embedder=embedder)
    assert opened.documents.ingest([folder / "docs"]).chunks == 41
    yield opened
    opened.close()


def sources(answer) -> list[str]:
    return [Path(c.source).name for c in answer.citations]


def test_the_valve_is_a_keyword_only_hit(app: Application) -> None:
    assistant = app.assistant
    dense = assistant.store.search(assistant.embedder.embed([KEYWORD_ONLY])[0], 20)
    assert [hit.chunk.source for hit in dense if hit.chunk.source.endswith("valve.md")] == []
    # Pushed down into Chroma: a search over the valve's path alone finds only its passage.
    [valve] = [path for path in assistant.store.documents() if path.endswith("valve.md")]
    vector = assistant.embedder.embed([KEYWORD_ONLY])[0]
    assert [Path(hit.chunk.source).name for hit in assistant.store.search(vector, 20, [valve])] == ["valve.md"]
    assert assistant.store.search(vector, 20, []) == []
    # Fusion puts it behind passages both searches found; the keyword search ranked it first.
    hits = assistant.retriever.retrieve(KEYWORD_ONLY, 20)
    [(place, found)] = [(i, hit) for i, hit in enumerate(hits) if hit.chunk.source.endswith("valve.md")]
    assert place > 0 and found.best == 0
    answer = assistant.ask(KEYWORD_ONLY)
    assert (answer.abstained, sources(answer)) == (False, ["valve.md"])
    assert "zq7731" in answer.answer


@pytest.mark.parametrize(
    ("globs", "types"),
    [([], ["txt"]), (["part1/*"], []), (["*.txt"], ["txt"]), (["report-00?.txt"], [])],
    ids=["type", "folder", "both", "name"],
)  # fmt: skip
def test_a_filtered_out_document_is_never_retrieved_nor_cited(app: Application, globs: list[str],
                                                              types: list[str]) -> None:  # fmt: skip
    only = SourceFilter.of(globs, types)
    assert only is not None
    allowed = {r.source for r in app.assistant.store.documents().values() if only.matches(r.source)}
    assert "valve.md" not in {Path(s).name for s in allowed} and allowed
    hits = app.assistant.retriever.retrieve(KEYWORD_ONLY, 20, only)
    assert len(hits) == min(20, len(allowed)) and {h.chunk.source for h in hits} <= allowed  # a passage each
    answer = app.assistant.ask(KEYWORD_ONLY, only=only)
    assert "zq7731" not in answer.answer
    assert {c.source for c in answer.citations} <= allowed
    streamed = list(app.assistant.stream(KEYWORD_ONLY, only=only))
    assert streamed[-1] == answer.model_copy(update={"timings_ms": streamed[-1].timings_ms})


def test_the_keyword_side_is_widened_so_a_narrow_filter_still_gets_its_hits(app: Application) -> None:
    retriever = app.assistant.retriever
    assert retriever.keywords is not None
    question = "Which officials agreed on step 3 after round 40 of talks?"
    top = [chunk_id for chunk_id, _ in retriever.keywords.search(question, 20)]
    only = SourceFilter.of(["report-033.txt"])  # ranked last of 40 by BM25
    assert only is not None
    allowed = app.assistant.store.chunk_ids_in(only.paths(app.assistant.store.documents().values()))
    assert len(allowed) == 1 and not set(top) & allowed  # the plain top 20 holds none of them
    kept = retriever._keyword(question, 20, allowed)
    assert {chunk_id for chunk_id, _ in kept} == allowed
    assert [score for _, score in kept] == sorted((score for _, score in kept), reverse=True)


def test_a_filter_lets_the_keyword_only_hit_answer_alone(app: Application) -> None:
    answer = app.assistant.ask(KEYWORD_ONLY, only=SourceFilter.of(types=["md"]))
    assert (answer.abstained, sources(answer)) == (False, ["valve.md"])


def test_a_filter_that_matches_nothing_says_so(app: Application, tmp_path: Path, embedder) -> None:
    with pytest.raises(NoMatchingDocumentsError) as none:
        app.assistant.ask(KEYWORD_ONLY, only=SourceFilter.of(["handbook/*.md"], ["pdf"]))
    assert str(none.value) == ("No document in the collection matches sources 'handbook/*.md' and types pdf; widen "
                               "the filter, or leave it out to search every document.")  # fmt: skip
    empty = build_application(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        with pytest.raises(EmptyIndexError) as nothing:
            empty.assistant.ask(KEYWORD_ONLY, only=SourceFilter.of(types=["md"]))
        assert type(nothing.value) is EmptyIndexError
        assert str(nothing.value) == "The index is empty: run `assistant ingest PATH` to add documents first."
    finally:
        empty.close()
